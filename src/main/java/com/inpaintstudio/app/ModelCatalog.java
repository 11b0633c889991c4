package com.inpaintstudio.app;

import java.util.List;

/** The models the picker offers before the user browses for one. */
@FunctionalInterface
public interface ModelCatalog {
    List<ModelChoice> scan();
}
