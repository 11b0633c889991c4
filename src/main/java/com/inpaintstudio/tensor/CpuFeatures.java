package com.inpaintstudio.tensor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * The vendor and instruction-set flags of this CPU, as Linux lists them in {@code /proc/cpuinfo}. Only what the
 * engine's choices need: which vendor made it (MKL's dispatch, see {@link MklAnyCpu}) and whether bfloat16 arithmetic
 * is native ({@code avx512_bf16}: AVX-512 BF16 dot products on Cooper Lake, Sapphire
 * Rapids, Zen 4 and later; {@code amx_bf16}: AMX tiles). Without either, libtorch emulates bfloat16 and its
 * convolutions run hundreds of times slower than float32.
 */
public record CpuFeatures(String vendor, Set<String> flags) {
    private static volatile CpuFeatures host;

    /** @param vendor the {@code vendor_id} ({@code GenuineIntel}, {@code AuthenticAMD}, ...), "" when not known */
    public CpuFeatures {
        vendor = vendor == null ? "" : vendor;
        flags = Set.copyOf(flags);
    }

    /**
     * Vendor and flags from the text of {@code /proc/cpuinfo}: the first {@code vendor_id} line and the union of every
     * {@code flags} line (x86).
     */
    public static CpuFeatures parse(String cpuinfo) {
        Set<String> flags = new TreeSet<>();
        String vendor = "";
        for (String line : cpuinfo.split("\n")) {
            int colon = line.indexOf(':');
            String key = colon < 0 ? "" : line.substring(0, colon).trim();
            if (key.equals("vendor_id") && vendor.isEmpty()) {
                vendor = line.substring(colon + 1).trim();
            }
            if (!key.equals("flags")) {
                continue;
            }
            for (String f : line.substring(colon + 1).trim().split("\\s+")) {
                if (!f.isEmpty()) {
                    flags.add(f.toLowerCase(Locale.ROOT));
                }
            }
        }
        return new CpuFeatures(vendor, flags);
    }

    /** This machine's flags, read once; none where {@code /proc/cpuinfo} cannot be read (not Linux). */
    public static CpuFeatures host() {
        CpuFeatures h = host;
        if (h == null) {
            try {
                h = parse(Files.readString(Path.of("/proc/cpuinfo")));
            } catch (IOException | RuntimeException e) {
                h = new CpuFeatures("", Set.of());
            }
            host = h;
        }
        return h;
    }

    public boolean has(String flag) {
        return flags.contains(flag.toLowerCase(Locale.ROOT));
    }

    /** Whether the CPU computes bfloat16 in hardware (AVX-512 BF16 or AMX-BF16). */
    public boolean nativeBf16() {
        return has("avx512_bf16") || has("amx_bf16");
    }

    /** A short description for logs and the bench: the bfloat16-relevant flags present. */
    public String describeBf16() {
        StringBuilder sb = new StringBuilder();
        for (String f : new String[] {"avx512_bf16", "amx_bf16", "avx512f", "avx2"}) {
            if (has(f)) {
                sb.append(sb.length() == 0 ? "" : " ").append(f);
            }
        }
        return nativeBf16() ? "native bf16 (" + sb + ")" : "no native bf16" + (sb.length() == 0 ? "" : " (" + sb + ")");
    }
}
