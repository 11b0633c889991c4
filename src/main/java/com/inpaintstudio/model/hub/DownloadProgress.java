package com.inpaintstudio.model.hub;

/**
 * Where a download stands.
 *
 * @param file           the file being fetched, relative to the repo (e.g. {@code unet/diffusion_pytorch_model.fp16.safetensors})
 * @param fileIndex      1-based index of that file
 * @param fileCount      number of files to fetch
 * @param fileDone       bytes of this file on disk
 * @param fileTotal      size of this file
 * @param done           bytes of all files on disk
 * @param total          size of all files
 * @param bytesPerSecond transfer speed of this session (resumed bytes not counted); 0 before the first bytes arrive
 * @param etaSeconds     seconds left at that speed, -1 while unknown
 */
public record DownloadProgress(String file, int fileIndex, int fileCount, long fileDone, long fileTotal, long done,
                               long total, double bytesPerSecond, long etaSeconds) {
    public double fraction() {
        return total <= 0 ? 0 : Math.min(1.0, (double) done / total);
    }
}
