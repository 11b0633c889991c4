package com.inpaintstudio.cli;

import picocli.CommandLine;

/** Version from the jar manifest (the pom's version). */
public final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        String v = Cli.class.getPackage().getImplementationVersion();
        return new String[] {"Inpaint Studio " + (v == null ? "(development build)" : v)};
    }
}
