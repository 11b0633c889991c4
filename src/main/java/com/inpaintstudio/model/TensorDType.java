package com.inpaintstudio.model;

/** The dtypes a safetensors header may name, with their byte sizes. */
public enum TensorDType {
    F64(8), F32(4), F16(2), BF16(2), I64(8), I32(4), I16(2), I8(1), U8(1), BOOL(1);

    private final int bytes;

    TensorDType(int bytes) {
        this.bytes = bytes;
    }

    public int bytes() {
        return bytes;
    }

    public boolean isFloat() {
        return this == F64 || this == F32 || this == F16 || this == BF16;
    }

    /** Parses a header dtype string; null if unknown. */
    public static TensorDType parse(String s) {
        for (TensorDType t : values()) {
            if (t.name().equals(s)) {
                return t;
            }
        }
        return null;
    }
}
