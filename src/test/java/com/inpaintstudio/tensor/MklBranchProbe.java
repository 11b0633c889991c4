package com.inpaintstudio.tensor;

/** Prints the MKL code branch of a fresh JVM's engine (started through DjlRuntime, as the app starts it). */
public final class MklBranchProbe {
    private MklBranchProbe() {}

    public static void main(String[] args) {
        System.out.println("branch " + MklAnyCpu.branch());
    }
}
