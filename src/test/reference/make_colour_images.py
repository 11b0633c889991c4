"""Colour-managed test images for ColourTest (run with /usr/bin/python3; needs Pillow with ImageCms, ImageMagick).

Writes into src/test/resources/colour/:
  patches_srgb.png        4 flat 16x16 patches, plain sRGB (the reference colours)
  cmyk.jpg                the same, converted by ImageMagick's `-colorspace CMYK` (no profile, Adobe APP14)
  adobergb.jpg/.png       patches encoded in Adobe RGB (1998), the profile embedded (JPEG APP2 / PNG iCCP)
  displayp3.jpg/.png      patches encoded in Display P3, the profile embedded
  expected.json           per image, the sRGB value of each patch centre; for the tagged images computed by
                          littlecms (Pillow's ImageCms) from the decoded file, relative colorimetric intent

The ICC profiles are built here (matrix/TRC, version 2.1, colorants Bradford-adapted to D50), so no third-party
profile is shipped.
"""
import io, json, os, struct, subprocess, sys
from PIL import Image, ImageCms

OUT = os.path.join(os.path.dirname(__file__), "..", "resources", "colour")
PATCHES = [(5, 5, 195), (200, 100, 50), (50, 160, 90), (230, 230, 230)]
D65 = (0.3127, 0.3290)
D50_XYZ = (0.9642, 1.0, 0.8249)


def xy_to_xyz(x, y):
    return [x / y, 1.0, (1 - x - y) / y]


def mat_mul(a, b):
    return [[sum(a[i][k] * b[k][j] for k in range(3)) for j in range(3)] for i in range(3)]


def mat_vec(a, v):
    return [sum(a[i][k] * v[k] for k in range(3)) for i in range(3)]


def inv(m):
    a, b, c = m[0]; d, e, f = m[1]; g, h, i = m[2]
    det = a * (e * i - f * h) - b * (d * i - f * g) + c * (d * h - e * g)
    return [[(e * i - f * h) / det, (c * h - b * i) / det, (b * f - c * e) / det],
            [(f * g - d * i) / det, (a * i - c * g) / det, (c * d - a * f) / det],
            [(d * h - e * g) / det, (b * g - a * h) / det, (a * e - b * d) / det]]


def rgb_to_xyz_d50(primaries):
    cols = [xy_to_xyz(*p) for p in primaries]
    m = [[cols[j][i] for j in range(3)] for i in range(3)]
    w = xy_to_xyz(*D65)
    s = mat_vec(inv(m), w)
    m = [[m[i][j] * s[j] for j in range(3)] for i in range(3)]
    brad = [[0.8951, 0.2664, -0.1614], [-0.7502, 1.7135, 0.0367], [0.0389, -0.0685, 1.0296]]
    src = mat_vec(brad, w)
    dst = mat_vec(brad, list(D50_XYZ))
    scale = [[dst[0] / src[0], 0, 0], [0, dst[1] / src[1], 0], [0, 0, dst[2] / src[2]]]
    adapt = mat_mul(inv(brad), mat_mul(scale, brad))
    return mat_mul(adapt, m)


def s15(v):
    return struct.pack(">i", int(round(v * 65536)))


def xyz_tag(xyz):
    return b"XYZ " + b"\0" * 4 + b"".join(s15(v) for v in xyz)


def curv_gamma(g):
    return b"curv" + b"\0" * 4 + struct.pack(">I", 1) + struct.pack(">H", int(round(g * 256)))


def curv_srgb():
    n = 1024
    vals = []
    for i in range(n):
        x = i / (n - 1)
        y = x / 12.92 if x <= 0.04045 else ((x + 0.055) / 1.055) ** 2.4
        vals.append(int(round(y * 65535)))
    return b"curv" + b"\0" * 4 + struct.pack(">I", n) + struct.pack(">%dH" % n, *vals)


def desc_tag(text):
    t = text.encode("ascii") + b"\0"
    return (b"desc" + b"\0" * 4 + struct.pack(">I", len(t)) + t + b"\0" * 8 + b"\0" * 2 + b"\0" + b"\0" * 67)


def text_tag(text):
    return b"text" + b"\0" * 4 + text.encode("ascii") + b"\0"


def pad4(b):
    return b + b"\0" * (-len(b) % 4)


def profile(name, primaries, trc):
    m = rgb_to_xyz_d50(primaries)
    tags = [(b"desc", desc_tag(name)), (b"cprt", text_tag("No copyright, use freely")),
            (b"wtpt", xyz_tag(D50_XYZ)),
            (b"rXYZ", xyz_tag([m[0][0], m[1][0], m[2][0]])), (b"gXYZ", xyz_tag([m[0][1], m[1][1], m[2][1]])),
            (b"bXYZ", xyz_tag([m[0][2], m[1][2], m[2][2]])),
            (b"rTRC", trc), (b"gTRC", trc), (b"bTRC", trc)]
    table = struct.pack(">I", len(tags))
    data = b""
    offset = 128 + 4 + 12 * len(tags)
    seen = {}
    for sig, body in tags:
        if body in seen:
            off, ln = seen[body]
        else:
            off, ln = offset + len(data), len(body)
            seen[body] = (off, ln)
            data += pad4(body)
        table += sig + struct.pack(">II", off, ln)
    size = offset + len(data)
    header = struct.pack(">I", size) + b"lcms" + bytes([2, 0x10, 0, 0]) + b"mntr" + b"RGB " + b"XYZ "
    header += b"\0" * 12 + b"acsp" + b"APPL" + b"\0" * 4 + b"\0" * 4 + b"\0" * 4 + b"\0" * 8 + b"\0" * 4
    header += b"\0" * 4 + b"".join(s15(v) for v in D50_XYZ) + b"\0" * 4
    header += b"\0" * (128 - len(header))
    return header + table + data


ADOBE = profile("Adobe RGB (1998) compatible, made by make_colour_images.py",
                [(0.64, 0.33), (0.21, 0.71), (0.15, 0.06)], curv_gamma(563 / 256))
P3 = profile("Display P3 compatible, made by make_colour_images.py",
             [(0.680, 0.320), (0.265, 0.690), (0.150, 0.060)], curv_srgb())


def patches(colours):
    img = Image.new("RGB", (64, 16))
    for i, c in enumerate(colours):
        img.paste(c, (i * 16, 0, i * 16 + 16, 16))
    return img


def centres(img):
    return [list(img.getpixel((i * 16 + 8, 8))) for i in range(4)]


def main():
    os.makedirs(OUT, exist_ok=True)
    expected = {}
    srgb = patches(PATCHES)
    srgb.save(os.path.join(OUT, "patches_srgb.png"))
    subprocess.run(["/usr/bin/convert", os.path.join(OUT, "patches_srgb.png"), "-colorspace", "CMYK", "-quality",
                    "95", "-sampling-factor", "1x1", os.path.join(OUT, "cmyk.jpg")], check=True)
    expected["cmyk.jpg"] = [list(c) for c in PATCHES]
    srgb_profile = ImageCms.createProfile("sRGB")
    for name, icc in (("adobergb", ADOBE), ("displayp3", P3)):
        prof = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        # the sRGB patch colours expressed in the wide space (so they are in gamut), then embedded
        to_wide = ImageCms.buildTransform(srgb_profile, prof, "RGB", "RGB", renderingIntent=1)
        wide = ImageCms.applyTransform(srgb, to_wide)
        wide.save(os.path.join(OUT, name + ".png"), icc_profile=icc)
        wide.save(os.path.join(OUT, name + ".jpg"), quality=98, subsampling=0, icc_profile=icc)
        to_srgb = ImageCms.buildTransform(prof, srgb_profile, "RGB", "RGB", renderingIntent=1)
        for ext in ("png", "jpg"):
            decoded = Image.open(os.path.join(OUT, name + "." + ext)).convert("RGB")
            expected[name + "." + ext] = centres(ImageCms.applyTransform(decoded, to_srgb))
        expected[name + " (wide values, untagged reading)"] = centres(wide)
    with open(os.path.join(OUT, "expected.json"), "w") as f:
        json.dump(expected, f, indent=1)
    print(json.dumps(expected))


if __name__ == "__main__":
    main()
