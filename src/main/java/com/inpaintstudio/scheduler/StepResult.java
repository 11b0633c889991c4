package com.inpaintstudio.scheduler;

import ai.djl.ndarray.NDArray;

/**
 * Result of one {@link Scheduler#step}: the next (less noisy) sample and the predicted clean sample x0 of this step,
 * which the UI previews.
 */
public record StepResult(NDArray prevSample, NDArray predOriginalSample) {}
