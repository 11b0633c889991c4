"""Reference data for the few-step schedulers (LCM, TCD) from diffusers' own LCMScheduler / TCDScheduler.

usage: REF_ROOT=/work/refenv /usr/bin/python3 src/test/reference/fewstep_schedulers.py
writes src/test/resources/fixtures/fewstep-schedulers/{lcm,tcd}.safetensors + manifest.json

Conventions follow /work/shared/reference/gen_fixtures.py's scheduler case:
- every scheduler is built with Cls.from_config(config, **overrides), as a diffusers user swapping pipe.scheduler;
  two configs: the tiny fixture model's (PNDM, "tiny") and the real SD-1.5 inpainting one (DDIM, "sd15");
- fake model eps = 0.1 * x_in + c, c = (float32)(0.05 * sin(t / 100)) computed in float64 from t;
- noise the scheduler draws inside step() (randn_tensor) is replaced by draws from a torch.Generator seeded with
  NOISE_SEED and recorded, so a port can replay it; the pipeline draws it from the same generator as the latents;
- strength cut exactly as StableDiffusionInpaintPipeline.get_timesteps: init = min(int(N * s), N),
  t_start = max(N - init, 0), timesteps[t_start:], set_begin_index(t_start); add_noise at timesteps[0].
"""
import json
import math
import os
import sys

REF = "/work/shared/reference"
sys.path.insert(0, REF)
import refenv  # noqa: E402  (sys.path to diffusers 0.31 + save_st)
import numpy as np  # noqa: E402
import torch  # noqa: E402
import diffusers  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
OUT = os.path.join(REPO, "src", "test", "resources", "fixtures", "fewstep-schedulers")
CONFIGS = {
    "tiny": os.path.join(REPO, "src/test/resources/fixtures/sd15-tiny-inpaint/model/tiny-sd-inpaint/scheduler/"
                               "scheduler_config.json"),
    "sd15": "/work/shared/fixtures/sd15-inpaint-configs/scheduler/scheduler_config.json",
}
SEED = 21
NOISE_SEED = 22
STEPS = [1, 2, 4, 6, 8, 25, 50]
STRENGTHS = [0.3, 0.5, 0.75, 1.0]
SHAPE = (1, 4, 8, 8)
MODULES = {"lcm": "diffusers.schedulers.scheduling_lcm", "tcd": "diffusers.schedulers.scheduling_tcd"}
CLASSES = {"lcm": diffusers.LCMScheduler, "tcd": diffusers.TCDScheduler}


def fake_eps(x_in, t):
    c = 0.05 * math.sin(float(t) / 100.0)
    return 0.1 * x_in + c


class NoiseFeeder:
    """Replaces randn_tensor inside a scheduler module with seeded draws and records them."""

    def __init__(self, key):
        self.mod = sys.modules[MODULES[key]]
        self.orig = self.mod.randn_tensor
        self.g = torch.Generator().manual_seed(NOISE_SEED)
        self.recorded = []

    def __enter__(self):
        def fake(shape, generator=None, device=None, dtype=None, layout=None):
            n = torch.randn(tuple(shape), generator=self.g, dtype=torch.float32)
            self.recorded.append(n.clone())
            return n.to(dtype=dtype or torch.float32)
        self.mod.randn_tensor = fake
        return self

    def __exit__(self, *a):
        self.mod.randn_tensor = self.orig


def cfg_dict(s):
    return {k: (list(v) if isinstance(v, tuple) else v) for k, v in dict(s.config).items()}


def x0_of(s, x, eps, t, prediction):
    a = s.alphas_cumprod[t]
    b = 1 - a
    if prediction == "v_prediction":
        return a.sqrt() * x - b.sqrt() * eps
    return (x - b.sqrt() * eps) / a.sqrt()


def trajectory(key, cfg, tag, steps, strength=1.0, gamma=None, overrides=None):
    """Runs the scheduler on the fake model; returns tensors prefixed with tag and the meta entry."""
    overrides = overrides or {}
    s = CLASSES[key].from_config(cfg, **overrides)
    prediction = s.config.prediction_type
    s.set_timesteps(steps)
    ts = s.timesteps
    g = torch.Generator().manual_seed(SEED)
    x_T = torch.randn(SHAPE, generator=g)
    image = torch.randn(SHAPE, generator=g)
    if strength < 1.0:
        init = min(int(steps * strength), steps)
        t_start = max(steps - init, 0)
        ts = ts[t_start:]
        s.set_begin_index(t_start)
        x = s.add_noise(image, x_T, ts[:1])
    else:
        x = x_T * s.init_noise_sigma
    xs, ins, epss, outs, x0s = [x.clone()], [], [], [], []
    kwargs = {} if gamma is None else {"eta": gamma}
    with NoiseFeeder(key) as feeder:
        for t in ts:
            x_in = s.scale_model_input(x, t)
            eps = fake_eps(x_in, t)
            prev, second = s.step(eps, t, x, return_dict=False, **kwargs)
            ins.append(x_in.clone())
            epss.append(eps.clone())
            outs.append(second.clone())
            x0s.append(x0_of(s, x, eps, t, prediction))
            x = prev
            xs.append(x.clone())
    t = {f"{tag}_timesteps": ts.clone(), f"{tag}_x": torch.cat(xs), f"{tag}_model_input": torch.cat(ins),
         f"{tag}_eps": torch.cat(epss), f"{tag}_x0": torch.cat(x0s),
         f"{tag}_{'denoised' if key == 'lcm' else 'pred_noised'}": torch.cat(outs)}
    if feeder.recorded:
        t[f"{tag}_noise"] = torch.cat(feeder.recorded)
    if strength < 1.0:
        t[f"{tag}_image"] = image
    meta = {"config": tag.split("_")[0], "steps": steps, "strength": strength, "gamma": gamma,
            "overrides": overrides, "prediction_type": prediction, "num_model_calls": len(epss),
            "noise_draws": len(feeder.recorded), "x_T_seed": SEED, "noise_seed": NOISE_SEED}
    return t, meta


def main():
    os.makedirs(OUT, exist_ok=True)
    cfgs = {k: json.load(open(p)) for k, p in CONFIGS.items()}
    manifest = {"what": __doc__.strip().splitlines()[0], "diffusers": diffusers.__version__,
                "torch": torch.__version__, "generator": "src/test/reference/fewstep_schedulers.py",
                "schedulers": {}}
    for key in ("lcm", "tcd"):
        tensors, meta = {}, {"class": CLASSES[key].__name__, "configs": {}, "timesteps": {}, "strength": {},
                             "trajectories": {}}
        for cname, cfg in cfgs.items():
            meta["configs"][cname] = cfg_dict(CLASSES[key].from_config(cfg))
            variants = {"": {}, "orig100": {"original_inference_steps": 100}, "orig20": {"original_inference_steps": 20}}
            for vname, over in variants.items():
                for n in STEPS:
                    s = CLASSES[key].from_config(cfg, **over)
                    name = f"{cname}{'_' + vname if vname else ''}_timesteps_{n}"
                    try:
                        s.set_timesteps(n)
                    except ValueError as e:
                        meta["timesteps"][name] = {"error": str(e)}
                        continue
                    tensors[name] = s.timesteps.clone()
                    meta["timesteps"][name] = {"count": len(s.timesteps), "init_noise_sigma": float(s.init_noise_sigma)}
            # strength cut + add_noise at the first timestep of the cut (the latent timestep)
            g = torch.Generator().manual_seed(SEED)
            original = torch.randn(SHAPE, generator=g)
            noise = torch.randn(SHAPE, generator=g)
            tensors[f"{cname}_add_noise_original"] = original
            tensors[f"{cname}_add_noise_noise"] = noise
            for n in (4, 6, 8, 25):
                for strength in STRENGTHS:
                    s = CLASSES[key].from_config(cfg)
                    s.set_timesteps(n)
                    init = min(int(n * strength), n)
                    t_start = max(n - init, 0)
                    ts = s.timesteps[t_start:]
                    tag = f"{cname}_strength_{n}_{strength:g}".replace(".", "p")
                    tensors[tag + "_timesteps"] = ts.clone()
                    entry = {"t_start": t_start, "num_steps": len(ts)}
                    if len(ts):
                        s.set_begin_index(t_start)
                        tensors[tag + "_add_noise"] = s.add_noise(original, noise, ts[:1])
                        entry["latent_timestep"] = int(ts[0])
                    meta["strength"][tag] = entry
        runs = [("tiny_traj6", dict(steps=6)), ("tiny_traj4", dict(steps=4)), ("tiny_traj1", dict(steps=1)),
                ("tiny_traj25", dict(steps=25)),
                ("tiny_strength8", dict(steps=8, strength=0.5)),
                ("tiny_vpred4", dict(steps=4, overrides={"prediction_type": "v_prediction"})),
                ("sd15_traj8", dict(steps=8))]
        if key == "tcd":
            runs = [(n, dict(kw, gamma=0.3)) for n, kw in runs]
            runs += [("tiny_gamma0", dict(steps=6, gamma=0.0)), ("tiny_gamma1", dict(steps=6, gamma=1.0)),
                     ("tiny_gamma07", dict(steps=8, gamma=0.7))]
        for tag, kw in runs:
            cfg = cfgs[tag.split("_")[0]]
            t, m = trajectory(key, cfg, tag, **kw)
            tensors.update(t)
            meta["trajectories"][tag] = m
        meta["tensors"] = refenv.save_st(os.path.join(OUT, key + ".safetensors"), tensors)
        manifest["schedulers"][key] = meta
    manifest["outputs"] = {
        "<cfg>[_origN]_timesteps_<n>": "set_timesteps(n) (int64); _origN: from_config(cfg, original_inference_steps=N)",
        "<cfg>_strength_<n>_<s>_timesteps/_add_noise": "pipeline strength cut of an n-step schedule; add_noise("
                                                         "add_noise_original, add_noise_noise, timesteps[:1])",
        "<run>_x": "[k+1,4,8,8] state before the first step and after every step",
        "<run>_model_input/_eps": "scale_model_input(x_i, t_i) and the fake model output fed to step",
        "<run>_noise": "randn the scheduler drew inside each step that drew one (in order)",
        "<run>_denoised": "LCM: step()'s second output, c_out * x0 + c_skip * x_t (what LCM pipelines decode)",
        "<run>_pred_noised": "TCD: step()'s second output (x0 re-noised to timestep_s)",
        "<run>_x0": "x0 predicted from (x_i, eps_i) at alphas_cumprod[t_i] (epsilon or v formula), float32 torch",
        "<run>_image": "clean latents the strength run starts from: x = add_noise(image, x_T, t_0)",
    }
    refenv.write_json(os.path.join(OUT, "manifest.json"), manifest)
    print(json.dumps({k: list(v["trajectories"]) for k, v in manifest["schedulers"].items()}))


if __name__ == "__main__":
    main()
