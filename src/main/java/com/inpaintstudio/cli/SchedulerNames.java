package com.inpaintstudio.cli;

import com.inpaintstudio.scheduler.SchedulerCatalog;

import java.util.Iterator;

/** picocli completion candidates (and help text) for {@code --scheduler}: the scheduler registry's names. */
public final class SchedulerNames implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
        return SchedulerCatalog.names().iterator();
    }
}
