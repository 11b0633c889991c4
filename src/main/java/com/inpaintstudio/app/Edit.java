package com.inpaintstudio.app;

/** One undoable change. */
public interface Edit {
    void undo();

    void redo();

    /** Short name for the Edit menu ("Undo stroke"). */
    String label();
}
