"""Reference conditioning for A1111-style prompts on the tiny model (Inpaint Studio's PromptConditioningTest).

Run: REF_ROOT=/work/refenv /usr/bin/python3 src/test/reference/prompt_conditioning.py
(needs /work/shared/reference on sys.path for refenv, textenc, tokenizer_ref; it is added below).

What it computes, in torch, independently of the Java code:
- two textual-inversion embeddings for the tiny model (hidden size 32 from text_encoder/config.json):
  `tinyemb.safetensors` (A1111 format, `emb_params` 3x32) and `dfemb/learned_embeds.safetensors`
  (diffusers format, one tensor `<dfemb>` 2x32);
- `ti_cond`: "a photo of tinyemb on a table" encoded as diffusers' load_textual_inversion does it (the name
  replaced by new token ids whose rows are appended to the token embedding), one 77-token sequence;
- `long_cond`/`long_uncond`: a weighted prompt of more than 75 tokens with BREAK and an embedding, and a short
  weighted negative prompt, conditioned by a Python port of A1111's `tokenize_line` (75-token chunks, BREAK,
  comma back-track 20, embeddings never split) and `EmphasisOriginal` (weights, mean restored per chunk),
  chunks joined along the token axis, the negative padded with the empty prompt's encoding to the same length
  (A1111's "Pad prompt/negative prompt"). The fragments are those A1111's parse_prompt_attention gives for the
  texts (written out below; the Java parser is checked against A1111's own vectors separately).
"""
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, "/work/shared/reference")

import torch  # noqa: E402

import refenv  # noqa: E402
import textenc  # noqa: E402
import tokenizer_ref  # noqa: E402

RES = os.path.join(HERE, "..", "resources", "fixtures")
MODEL = os.path.join(RES, "sd15-tiny-inpaint", "model", "tiny-sd-inpaint")
OUT = os.path.join(RES, "prompts")
BOS, EOS, COMMA = 49406, 49407, 267

sd = refenv.load_st(os.path.join(MODEL, "text_encoder", "model.safetensors"))
with open(os.path.join(MODEL, "text_encoder", "config.json")) as f:
    cfg = json.load(f)
tok = tokenizer_ref.HFCLIPTokenizerRef(os.path.join(MODEL, "tokenizer"), use_ftfy=True)
D = cfg["hidden_size"]
V = cfg["vocab_size"]

g = torch.Generator().manual_seed(20261201)
tinyemb = torch.randn(3, D, generator=g) * 0.5
dfemb = torch.randn(2, D, generator=g) * 0.5
refenv.save_st(os.path.join(OUT, "embeddings", "tinyemb.safetensors"), {"emb_params": tinyemb},
               metadata={"name": "tinyemb"})
refenv.save_st(os.path.join(OUT, "embeddings", "dfemb", "learned_embeds.safetensors"), {"<dfemb>": dfemb})
EMB = {"tinyemb": tinyemb, "dfemb": dfemb}


def encode(ids, extra):
    """(n, 77) ids, ids >= V index `extra` rows (appended to the token table for this call only)."""
    table = torch.cat([sd["text_model.embeddings.token_embedding.weight"], extra], 0)
    sd2 = dict(sd)
    sd2["text_model.embeddings.token_embedding.weight"] = table
    return textenc.hf_forward(sd2, torch.tensor(ids, dtype=torch.int64), cfg)


# ---- textual inversion, diffusers' way
emb_ids = {"tinyemb": [V, V + 1, V + 2], "dfemb": [V + 3, V + 4]}
extra = torch.cat([tinyemb, dfemb], 0)
ti_ids = tok.ids("a photo of") + emb_ids["tinyemb"] + tok.ids("on a table")
ti_cond = encode([tokenizer_ref.sd_pad(ti_ids)], extra)


# ---- A1111 tokenize_line + EmphasisOriginal
def find_embedding(tokens, pos):
    names = sorted(EMB, key=lambda n: -len(tok.ids(n)))
    for n in names:
        t = tok.ids(n)
        if tokens[pos:pos + len(t)] == t:
            return n, len(t)
    return None, None


def tokenize_line(parsed, backtrack=20):
    chunks, cur = [], {"t": [], "m": []}
    last_comma = -1

    def next_chunk():
        nonlocal cur, last_comma
        t, m = cur["t"], cur["m"]
        pad = 75 - len(t)
        t = [BOS] + t + [EOS] * pad + [EOS]
        m = [1.0] + m + [1.0] * pad + [1.0]
        chunks.append((t, m))
        cur = {"t": [], "m": []}
        last_comma = -1

    for text, weight in parsed:
        if text == "BREAK" and weight == -1:
            next_chunk()
            continue
        tokens = tok.ids(text)
        pos = 0
        while pos < len(tokens):
            token = tokens[pos]
            if token == COMMA:
                last_comma = len(cur["t"])
            elif backtrack != 0 and len(cur["t"]) == 75 and last_comma != -1 and len(cur["t"]) - last_comma <= backtrack:
                at = last_comma + 1
                rt, rm = cur["t"][at:], cur["m"][at:]
                cur["t"], cur["m"] = cur["t"][:at], cur["m"][:at]
                next_chunk()
                cur["t"], cur["m"] = rt, rm
            if len(cur["t"]) == 75:
                next_chunk()
            name, ntok = find_embedding(tokens, pos)
            if name is None:
                cur["t"].append(token)
                cur["m"].append(weight)
                pos += 1
                continue
            ids = emb_ids[name]
            if len(cur["t"]) + len(ids) > 75:
                next_chunk()
            cur["t"] += ids
            cur["m"] += [weight] * len(ids)
            pos += ntok
    if cur["t"] or not chunks:
        next_chunk()
    return chunks


def condition(parsed):
    zs = []
    for t, m in tokenize_line(parsed):
        z = encode([t], extra)
        mult = torch.asarray(m, dtype=torch.float32)
        original_mean = z.mean()
        z = z * mult.reshape(mult.shape + (1,)).expand(z.shape)
        new_mean = z.mean()
        zs.append(z * (original_mean / new_mean))
    return torch.hstack(zs)


words = ("a highly detailed oil painting of a majestic lion standing on a rocky cliff at sunset, dramatic lighting, "
         "volumetric clouds, golden hour, intricate fur texture, 8k resolution, trending on artstation, by a "
         "renowned master painter, with a river winding through the valley below, birds flying in the distance, "
         "and snow capped mountains on the horizon, cinematic composition, ultra realistic, sharp focus, ")
LONG_PROMPT = "(masterpiece:1.2), [blurry], " + words + "((tinyemb)) BREAK a stone bridge, dfemb"
LONG_PARSED = [["masterpiece", 1.2], [", ", 1.0], ["blurry", 1 / 1.1], [", " + words, 1.0],
               ["tinyemb", 1.1 * 1.1], ["", 1.0], ["BREAK", -1], ["a stone bridge, dfemb", 1.0]]
NEG_PROMPT = "lowres, (bad hands:1.4)"
NEG_PARSED = [["lowres, ", 1.0], ["bad hands", 1.4]]
long_cond = condition(LONG_PARSED)
long_uncond = condition(NEG_PARSED)
empty = condition([["", 1.0]])
while long_uncond.shape[1] < long_cond.shape[1]:
    long_uncond = torch.cat([long_uncond, empty], 1)
chunks = tokenize_line(LONG_PARSED)

tensors = refenv.save_st(os.path.join(OUT, "conditioning.safetensors"), {
    "ti_input_ids": torch.tensor([tokenizer_ref.sd_pad(ti_ids)], dtype=torch.int64),
    "ti_cond": ti_cond,
    "long_chunk_ids": torch.tensor([c[0] for c in chunks], dtype=torch.int64),
    "long_chunk_weights": torch.tensor([c[1] for c in chunks], dtype=torch.float32),
    "long_cond": long_cond,
    "long_uncond": long_uncond,
})
refenv.write_json(os.path.join(OUT, "conditioning.json"), {
    "ti_prompt": "a photo of tinyemb on a table",
    "long_prompt": LONG_PROMPT, "long_parsed": LONG_PARSED,
    "negative_prompt": NEG_PROMPT, "negative_parsed": NEG_PARSED,
    "embedding_ids": {k: v for k, v in emb_ids.items()},
    "tensors": tensors,
    "note": "made by src/test/reference/prompt_conditioning.py; see its docstring",
})
print(json.dumps(tensors, indent=1))
