"""Reference data for nn/AutoencoderTiny (TAESD) from diffusers 0.31's AutoencoderTiny.

usage: REF_ROOT=/work/refenv /usr/bin/python3 src/test/reference/make_taesd.py [REPO_ROOT]

Writes
  src/test/resources/fixtures/taesd-tiny/model/{config.json, diffusion_pytorch_model.safetensors}
      a random-weight AutoencoderTiny with madebyollin/taesd's block structure (encoder blocks 1,3,3,3, decoder
      blocks 3,3,3,1, ReLU, 2x nearest upsampling) but 8 channels instead of 64, saved by save_pretrained;
  src/test/resources/fixtures/taesd-tiny/reference.safetensors
      latents (with values past the tanh clamp's knee) -> decode, image -> encode, non-square included;
  src/main/resources/com/inpaintstudio/configs/taesd/config.json
      madebyollin/taesd's real config.json (the bench builds the full-size decoder from it with random weights);
      diffusers builds it here and the parameter count is checked against the published ~2.4 M.
"""
import json
import os
import sys

ROOT = os.environ["REF_ROOT"]
sys.path.insert(0, os.path.join(ROOT, "pylib"))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("DIFFUSERS_VERBOSITY", "error")

import torch  # noqa: E402
from diffusers import AutoencoderTiny  # noqa: E402
from safetensors.torch import save_file  # noqa: E402

REPO = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "..", ".."))
FIX = os.path.join(REPO, "src/test/resources/fixtures/taesd-tiny")

# madebyollin/taesd config.json as published on the hub (diffusers 0.30.0 wrote it)
REAL_TAESD = {
    "_class_name": "AutoencoderTiny",
    "_diffusers_version": "0.30.0",
    "act_fn": "relu",
    "decoder_block_out_channels": [64, 64, 64, 64],
    "encoder_block_out_channels": [64, 64, 64, 64],
    "force_upcast": False,
    "in_channels": 3,
    "latent_channels": 4,
    "latent_magnitude": 3,
    "latent_shift": 0.5,
    "num_decoder_blocks": [3, 3, 3, 1],
    "num_encoder_blocks": [1, 3, 3, 3],
    "out_channels": 3,
    "scaling_factor": 1.0,
    "shift_factor": 0.0,
    "upsample_fn": "nearest",
    "upsampling_scaling_factor": 2,
}


def real_config():
    cfg = {k: v for k, v in REAL_TAESD.items() if not k.startswith("_")}
    model = AutoencoderTiny(**cfg)
    n_enc = sum(p.numel() for p in model.encoder.parameters())
    n_dec = sum(p.numel() for p in model.decoder.parameters())
    print(f"real taesd config: encoder {n_enc} + decoder {n_dec} = {n_enc + n_dec} parameters")
    assert 2_000_000 < n_enc + n_dec < 2_800_000
    out = os.path.join(REPO, "src/main/resources/com/inpaintstudio/configs/taesd/config.json")
    os.makedirs(os.path.dirname(out), exist_ok=True)
    with open(out, "w") as f:
        json.dump(REAL_TAESD, f, indent=2)
        f.write("\n")


def tiny():
    torch.manual_seed(12)
    cfg = dict(REAL_TAESD)
    for k in list(cfg):
        if k.startswith("_"):
            del cfg[k]
    cfg["decoder_block_out_channels"] = [8, 8, 8, 8]
    cfg["encoder_block_out_channels"] = [8, 8, 8, 8]
    model = AutoencoderTiny(**cfg).eval()
    # PyTorch's default conv init shrinks the signal through ~30 ReLU convs to nearly a constant; He-scaled
    # weights (a bit under, for the residual sums) and spread biases keep every layer's output varied and O(1)
    with torch.no_grad():
        for name, p in model.named_parameters():
            if name.endswith(".bias"):
                p.copy_(torch.randn_like(p) * 0.1)
            else:
                fan_in = p[0].numel()
                p.copy_(torch.randn_like(p) * (1.0 / fan_in) ** 0.5)
    mdir = os.path.join(FIX, "model")
    model.save_pretrained(mdir, safe_serialization=True)
    with open(os.path.join(mdir, "config.json")) as f:
        print("tiny config:", json.load(f))

    g = torch.Generator().manual_seed(7)
    lat = torch.randn(1, 4, 8, 8, generator=g) * 2.5  # up to ~8: exercises tanh(x/3)*3
    lat_ns = torch.randn(1, 4, 5, 7, generator=g) * 2.5
    img = torch.rand(1, 3, 64, 48, generator=g) * 2 - 1
    with torch.no_grad():
        dec = model.decode(lat).sample
        dec_ns = model.decode(lat_ns).sample
        enc = model.encode(img).latents
        roundtrip = model(img).sample  # encode -> uint8 quantise via latent_magnitude/shift -> decode
        scaled = model.scale_latents(enc)
    for n, t in [("decoded", dec), ("decoded_ns", dec_ns), ("encoded", enc), ("roundtrip", roundtrip)]:
        print(f"{n}: shape {tuple(t.shape)} range [{t.min():.3f}, {t.max():.3f}] std {t.std():.3f}")
    save_file({"latents": lat.contiguous(), "decoded": dec.contiguous(),
               "latents_ns": lat_ns.contiguous(), "decoded_ns": dec_ns.contiguous(),
               "image": img.contiguous(), "encoded": enc.contiguous(), "encoded_scaled": scaled.contiguous(),
               "roundtrip": roundtrip.contiguous()},
              os.path.join(FIX, "reference.safetensors"),
              metadata={"generator": "src/test/reference/make_taesd.py", "diffusers": "0.31.0",
                        "torch": torch.__version__})


if __name__ == "__main__":
    real_config()
    tiny()
