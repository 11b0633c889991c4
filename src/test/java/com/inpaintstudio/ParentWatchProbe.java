package com.inpaintstudio;

/** A stand-in for the relaunched child: watches its parent as the app's child does, prints its pid, then waits. */
public final class ParentWatchProbe {
    public static void main(String[] args) throws InterruptedException {
        boolean watching = ParentWatch.startFromEnvironment(System.getenv());
        System.out.println(ProcessHandle.current().pid() + " " + watching);
        System.out.flush();
        Thread.sleep(120_000);
        System.exit(7); // never reached in the test: the watcher ends us first
    }
}
