"""LoRA reference fixtures for the tiny SD-1.5 inpainting model (issue #11).

usage: REF_ROOT=/work/refenv /usr/bin/python3 src/test/reference/gen_lora.py MODEL_DIR OUT_DIR
       (MODEL_DIR = src/test/resources/fixtures/sd15-tiny-inpaint/model/tiny-sd-inpaint,
        OUT_DIR   = src/test/resources/fixtures/lora; run from the repository root)

diffusers' load_lora_weights needs PEFT, which the reference environment lacks. So key names go through diffusers'
own conversion functions (loaders/lora_conversion_utils._convert_non_diffusers_lora_to_diffusers, then
utils/state_dict_utils.convert_unet_state_dict_to_peft / convert_state_dict_to_peft, as
StableDiffusionLoraLoaderMixin does), every converted name must resolve to a real module of the diffusers UNet or a
real text-encoder weight, and the standard merge W += strength * (alpha / rank) * up @ down is applied here
(conv: up (out,r,1,1) and down (r,in,k,k) reshaped to 2-D, product reshaped to (out,in,k,k)).

Writes:
  lora_a_kohya.safetensors  LoRA "a", kohya/A1111 layout: lora_unet_* (attention linears, ff, proj_in/out 1x1 conv,
                            resnet conv1/conv2 3x3, conv_shortcut 1x1, time_emb_proj, down/upsampler 3x3 = LoCon) and
                            lora_te_* (q/k/v/out_proj, mlp fc1/fc2); .alpha on most modules, absent on some
                            (alpha = rank); ranks 4 and 2 mixed
  lora_a_peft.safetensors   the same LoRA in diffusers/PEFT layout (unet.*.lora_A.weight / lora_B.weight,
                            text_encoder.*), names as diffusers' conversion yields them, alpha/rank folded into B
                            (PEFT files carry no alpha)
  lora_b_peft.safetensors   LoRA "b", PEFT layout, UNet attention only, rank 8
  lora_keymap.json          kohya module name -> diffusers module name, per diffusers' conversion
  lora_outputs.safetensors  UNet noise_pred and text-encoder last_hidden_state for: no LoRA, a@0.8, a@0.8 + b@-0.5
  pipeline_lora_g1.safetensors   pipeline run (ddim, 4 steps, guidance 1.0: no CFG batch) with a@0.8 merged
  pipeline_plain_g1.safetensors  same run without LoRA (guidance <= 1 path alone)
  images/*.png, manifest.json
"""
import json
import os
import sys

import numpy as np
import torch
from PIL import Image

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, "/work/shared/reference")
import refenv  # noqa: E402
import gen_fixtures as gf  # noqa: E402
import make_model  # noqa: E402
import textenc  # noqa: E402
import tokenizer_ref  # noqa: E402
from refenv import save_st, write_json  # noqa: E402

torch.set_grad_enabled(False)
torch.set_num_threads(2)

from diffusers.loaders.lora_conversion_utils import _convert_non_diffusers_lora_to_diffusers  # noqa: E402
from diffusers.utils.state_dict_utils import convert_state_dict_to_peft, convert_unet_state_dict_to_peft  # noqa: E402

MODEL_DIR, OUT_DIR = sys.argv[1], sys.argv[2]
os.makedirs(os.path.join(OUT_DIR, "images"), exist_ok=True)

unet, vae, sched, te_sd, tcfg = make_model.load_model(MODEL_DIR)
g = torch.Generator().manual_seed(2024)


def unet_targets(unet):
    out = []
    for name, m in unet.named_modules():
        if not name.startswith(("down_blocks", "mid_block", "up_blocks")):
            continue
        if isinstance(m, (torch.nn.Linear, torch.nn.Conv2d)):
            out.append((name, m.weight.shape))
    return out


def te_targets():
    out = []
    for k, v in te_sd.items():
        if k.endswith(".weight") and (".self_attn." in k or ".mlp." in k):
            out.append((k[:-len(".weight")], v.shape))
    return out


def make_pair(shape, rank):
    outc, inc = shape[0], shape[1]
    if len(shape) == 4:
        down = torch.randn((rank, inc, shape[2], shape[3]), generator=g) * 0.2
        up = torch.randn((outc, rank, 1, 1), generator=g) * 0.2
    else:
        down = torch.randn((rank, inc), generator=g) * 0.2
        up = torch.randn((outc, rank), generator=g) * 0.2
    return down, up


def delta(down, up, shape):
    r = down.shape[0]
    return (up.reshape(up.shape[0], r) @ down.reshape(r, -1)).reshape(shape)


# ---------------------------------------------------------------------------------------- LoRA a (kohya, full)
a_modules = {}  # component, diffusers module -> (down, up, alpha or None)
kohya = {}
i = 0
for comp, targets in (("unet", unet_targets(unet)), ("te", te_targets())):
    for name, shape in targets:
        rank = 4 if i % 3 else 2
        down, up = make_pair(shape, rank)
        alpha = None if i % 5 == 0 else float([1.0, 2.0, 8.0][i % 3])
        kname = ("lora_unet_" if comp == "unet" else "lora_te_") + name.replace(".", "_")
        kohya[kname + ".lora_down.weight"] = down
        kohya[kname + ".lora_up.weight"] = up
        if alpha is not None:
            kohya[kname + ".alpha"] = torch.tensor(alpha)
        a_modules[(comp, kname)] = (down, up, alpha, shape)
        i += 1

# diffusers' conversion of the kohya names
converted, alphas = _convert_non_diffusers_lora_to_diffusers(dict(kohya))
unet_part = convert_unet_state_dict_to_peft({k[len("unet."):]: v for k, v in converted.items() if k.startswith("unet.")})
te_part = convert_state_dict_to_peft({k[len("text_encoder."):]: v for k, v in converted.items()
                                      if k.startswith("text_encoder.")})
unet_mods = dict(unet.named_modules())
keymap = {}
peft_a = {}
for comp, part in (("unet", unet_part), ("te", te_part)):
    for k, v in part.items():
        assert k.endswith((".lora_A.weight", ".lora_B.weight")), k
        mod = k.rsplit(".", 2)[0]
        if comp == "unet":
            assert mod in unet_mods, f"diffusers conversion gave {k}, not a UNet module"
        else:
            assert mod + ".weight" in te_sd, f"diffusers conversion gave {k}, not a text-encoder weight"
        # find the kohya module by identity of the tensor
        for (c, kname), (down, up, alpha, shape) in a_modules.items():
            if c == comp and (v is down or v is up):
                keymap[kname] = ("unet." if comp == "unet" else "text_encoder.") + mod
                if v is up:
                    scale = (alpha if alpha is not None else down.shape[0]) / down.shape[0]
                    v = up * scale
                break
        else:
            raise AssertionError("unmatched " + k)
        peft_a[("unet." if comp == "unet" else "text_encoder.") + k] = v
assert len(keymap) == len(a_modules)

# ---------------------------------------------------------------------------------------- LoRA b (PEFT, attention)
b_modules = {}
peft_b = {}
for name, shape in unet_targets(unet):
    if ".attn" in name and ".transformer_blocks." in name:
        down, up = make_pair(shape, 8)
        peft_b[f"unet.{name}.lora_A.weight"] = down
        peft_b[f"unet.{name}.lora_B.weight"] = up
        b_modules[name] = (down, up)

save_st(os.path.join(OUT_DIR, "lora_a_kohya.safetensors"), kohya, metadata={"ss_network_module": "networks.lora"})
save_st(os.path.join(OUT_DIR, "lora_a_peft.safetensors"), peft_a)
save_st(os.path.join(OUT_DIR, "lora_b_peft.safetensors"), peft_b)
write_json(os.path.join(OUT_DIR, "lora_keymap.json"), dict(sorted(keymap.items())))

orig_unet_sd = {k: v.clone() for k, v in unet.state_dict().items()}
orig_te_sd = {k: v.clone() for k, v in te_sd.items()}


def merged(a_strength, b_strength):
    usd = {k: v.clone() for k, v in orig_unet_sd.items()}
    tsd = {k: v.clone() for k, v in orig_te_sd.items()}
    for (comp, kname), (down, up, alpha, shape) in a_modules.items():
        if a_strength == 0:
            break
        r = down.shape[0]
        scale = a_strength * (alpha if alpha is not None else r) / r
        mod = keymap[kname].split(".", 1)[1]
        sd = usd if comp == "unet" else tsd
        sd[mod + ".weight"] += scale * delta(down, up, shape)
    for name, (down, up) in b_modules.items():
        if b_strength == 0:
            break
        usd[name + ".weight"] += b_strength * delta(down, up, usd[name + ".weight"].shape)
    return usd, tsd


uref = refenv.load_st(os.path.join(os.path.dirname(MODEL_DIR), "..", "cases", "unet.safetensors"))
tref = refenv.load_st(os.path.join(os.path.dirname(MODEL_DIR), "..", "cases", "text_encoder.safetensors"))
sample, ts, ehs = uref["sample"], uref["timesteps"], uref["encoder_hidden_states"]
ids = tref["input_ids"][:3]
out = {"sample": sample, "timesteps": ts, "encoder_hidden_states": ehs, "input_ids": ids}
for tag, (sa, sb) in (("none", (0, 0)), ("a0p8", (0.8, 0)), ("a0p8_bm0p5", (0.8, -0.5))):
    usd, tsd = merged(sa, sb)
    unet.load_state_dict(usd)
    out[f"noise_pred_{tag}"] = unet(sample, ts, encoder_hidden_states=ehs).sample
    out[f"last_hidden_state_{tag}"] = textenc.hf_forward(tsd, ids, tcfg)
unet.load_state_dict(orig_unet_sd)
assert (out["noise_pred_none"] - uref["noise_pred"]).abs().max() < 1e-5
diffs = {t: float((out[f"noise_pred_{t}"] - out["noise_pred_none"]).abs().max()) for t in ("a0p8", "a0p8_bm0p5")}
tdiffs = {t: float((out[f"last_hidden_state_{t}"] - out["last_hidden_state_none"]).abs().max()) for t in ("a0p8", "a0p8_bm0p5")}
save_st(os.path.join(OUT_DIR, "lora_outputs.safetensors"), out)
print("unet change by LoRA", diffs, "text change", tdiffs)

# ---------------------------------------------------------------------------------------- pipeline runs
pipe, inp, _, _ = gf.build_pipeline(MODEL_DIR)
with open(os.path.join(MODEL_DIR, "scheduler", "scheduler_config.json")) as f:
    base_cfg = json.load(f)
tok = tokenizer_ref.HFCLIPTokenizerRef(os.path.join(MODEL_DIR, "tokenizer"), use_ftfy=True)
H = W = 128
STEPS = 4
PROMPT = "a cat with a hat"
runs = {}
for name, sa in (("lora_g1", 0.8), ("plain_g1", 0.0)):
    usd, tsd = merged(sa, 0)
    pipe.unet.load_state_dict(usd)
    pids, emb = gf.encode_prompts(tsd, tcfg, tok, [PROMPT, ""])
    img, msk = gf.make_image(W, H, 0), gf.make_mask(W, H, 0)
    ip, mp = os.path.join(OUT_DIR, "images", f"{name}_image.png"), os.path.join(OUT_DIR, "images", f"{name}_mask.png")
    img.save(ip)
    msk.save(mp)
    torch.manual_seed(7)
    latents = torch.randn((1, 4, H // 8, W // 8))
    rec = gf.run_pipeline(pipe, inp, "ddim", base_cfg, Image.open(ip).convert("RGB"), Image.open(mp), H, W,
                          emb[0:1], emb[1:2], latents, STEPS, 1.0)
    assert rec["unet_in"][0].shape[0] == 1, "guidance 1 must run the UNet on batch 1"
    img_u8 = (rec["image_np"].numpy() * 255).round().astype(np.uint8)
    Image.fromarray(img_u8[0]).save(os.path.join(OUT_DIR, "images", f"{name}_output.png"))
    save_st(os.path.join(OUT_DIR, f"pipeline_{name}.safetensors"), {
        "initial_latents": latents, "prompt_embeds": emb[0:1],
        "latents_after_step": torch.cat(rec["latents_after"]), "timesteps": torch.stack(rec["timesteps"]),
        "noise_pred": torch.stack(rec["unet_out"]), "image_uint8": torch.from_numpy(img_u8)})
    runs[name] = {"lora": "lora_a_kohya.safetensors" if sa else None, "strength": sa,
                  "image_png": f"images/{name}_image.png", "mask_png": f"images/{name}_mask.png"}
pipe.unet.load_state_dict(orig_unet_sd)

write_json(os.path.join(OUT_DIR, "manifest.json"), {
    "generator": "src/test/reference/gen_lora.py", "model": "../sd15-tiny-inpaint/model/tiny-sd-inpaint",
    "merge": "W += strength * (alpha / rank) * up @ down; alpha defaults to rank; conv: 2-D product reshaped",
    "lora_a": {"modules": len(a_modules), "unet_modules": sum(1 for c, _ in a_modules if c == "unet"),
               "te_modules": sum(1 for c, _ in a_modules if c == "te")},
    "lora_b": {"modules": len(b_modules), "rank": 8},
    "outputs": {"noise_pred_<tag>": "unet(sample, timesteps, encoder_hidden_states).sample after merging",
                "last_hidden_state_<tag>": "text encoder output for input_ids after merging",
                "tags": {"none": "no LoRA", "a0p8": "a at 0.8", "a0p8_bm0p5": "a at 0.8 and b at -0.5"},
                "max_change_vs_none_unet": diffs, "max_change_vs_none_text": tdiffs},
    "pipeline": {"scheduler": "ddim", "steps": STEPS, "guidance_scale": 1.0, "size": [W, H], "prompt": PROMPT,
                 "negative_prompt": "", "latents": "torch.manual_seed(7); torch.randn((1,4,16,16))",
                 "runs": runs, "note": "guidance 1.0: diffusers runs the UNet on batch 1 (no CFG)"},
    "tolerance": {"networks": 1e-4, "pipeline_latents": {"atol": 1e-3, "rtol": 1e-3}, "image_uint8": 1},
})
print("done")
