package com.inpaintstudio.pipeline;

import com.inpaintstudio.image.RgbImage;

import java.time.Duration;

/**
 * A finished (or cancelled) generation: the full-size picture and what made it.
 *
 * @param parameters A1111-style parameters text (prompt, Negative prompt:, Steps:, Sampler:, ...) for PNG metadata
 */
public record InpaintResult(RgbImage image, InpaintRequest request, String modelName, String samplerName,
                            boolean cancelled, int stepsCompleted, Duration elapsed, String parameters) {
}
