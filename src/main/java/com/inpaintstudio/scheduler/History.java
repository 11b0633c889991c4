package com.inpaintstudio.scheduler;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

import java.util.ArrayDeque;
import java.util.Iterator;

/**
 * The few arrays a multistep scheduler keeps between steps. Each kept array is a copy owned by the scheduler's state
 * manager and is closed as soon as it falls out of the window, so memory stays flat however many steps run.
 * Reads hand out copies in the caller's (per-step) manager, so no arithmetic ever allocates in the state manager.
 */
final class History {
    private final NDManager state;
    private final int capacity;
    private final ArrayDeque<NDArray> items = new ArrayDeque<>();

    History(NDManager state, int capacity) {
        this.state = state;
        this.capacity = capacity;
    }

    /** Keeps a copy of {@code a} as the newest entry, dropping (and closing) the oldest beyond capacity. */
    void push(NDArray a) {
        NDArray copy = a.duplicate();
        copy.attach(state);
        items.addLast(copy);
        while (items.size() > capacity) {
            items.removeFirst().close();
        }
    }

    /** A copy, owned by {@code into}, of the entry {@code back} places before the newest (0 = newest). */
    NDArray get(int back, NDManager into) {
        if (back >= items.size()) {
            throw new IllegalStateException("history holds " + items.size() + " entries, asked for " + (back + 1));
        }
        Iterator<NDArray> it = items.descendingIterator();
        NDArray a = it.next();
        for (int i = 0; i < back; i++) {
            a = it.next();
        }
        NDArray copy = a.duplicate();
        copy.attach(into);
        return copy;
    }

    int size() {
        return items.size();
    }

    boolean isEmpty() {
        return items.isEmpty();
    }

    /** Closes every kept array. */
    void clear() {
        for (NDArray a : items) {
            a.close();
        }
        items.clear();
    }
}
