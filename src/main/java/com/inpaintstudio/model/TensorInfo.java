package com.inpaintstudio.model;

import java.util.Arrays;

/** One tensor's entry in a safetensors header; offsets are absolute positions in the file. */
public record TensorInfo(String name, TensorDType dtype, long[] shape, long begin, long end) {
    public long elementCount() {
        long n = 1;
        for (long d : shape) {
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    public long byteLength() {
        return end - begin;
    }

    @Override
    public String toString() {
        return name + " " + dtype + Arrays.toString(shape);
    }
}
