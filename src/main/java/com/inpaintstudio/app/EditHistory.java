package com.inpaintstudio.app;

import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;

import java.util.ArrayDeque;
import java.util.Deque;

/** Undo/redo stacks of {@link Edit}s, bounded in count. FX thread only. */
public final class EditHistory {
    private static final int MAX_EDITS = 200;
    private final Deque<Edit> undo = new ArrayDeque<>();
    private final Deque<Edit> redo = new ArrayDeque<>();
    private final ReadOnlyBooleanWrapper canUndo = new ReadOnlyBooleanWrapper(false);
    private final ReadOnlyBooleanWrapper canRedo = new ReadOnlyBooleanWrapper(false);
    private final javafx.beans.property.ReadOnlyLongWrapper changes = new javafx.beans.property.ReadOnlyLongWrapper();

    /** Records an edit that has already been applied. */
    public void push(Edit e) {
        undo.push(e);
        while (undo.size() > MAX_EDITS) {
            undo.removeLast();
        }
        redo.clear();
        update();
    }

    public boolean undo() {
        if (undo.isEmpty()) {
            return false;
        }
        Edit e = undo.pop();
        e.undo();
        redo.push(e);
        update();
        return true;
    }

    public boolean redo() {
        if (redo.isEmpty()) {
            return false;
        }
        Edit e = redo.pop();
        e.redo();
        undo.push(e);
        update();
        return true;
    }

    public void clear() {
        undo.clear();
        redo.clear();
        update();
    }

    public Edit peekUndo() {
        return undo.peek();
    }

    public int size() {
        return undo.size();
    }

    public ReadOnlyBooleanProperty canUndoProperty() {
        return canUndo.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty canRedoProperty() {
        return canRedo.getReadOnlyProperty();
    }

    /** Counts every push, undo, redo and clear: a change of the document (autosave listens to it). */
    public javafx.beans.property.ReadOnlyLongProperty changesProperty() {
        return changes.getReadOnlyProperty();
    }

    private void update() {
        changes.set(changes.get() + 1);
        canUndo.set(!undo.isEmpty());
        canRedo.set(!redo.isEmpty());
    }
}
