"""Writes src/main/resources/com/inpaintstudio/tensor/torch-ops.pt, a tiny TorchScript archive whose methods call
libtorch ops that DJL 0.36 does not expose (scaled_dot_product_attention, row-chunked attention in one call, oneDNN's linear, group_norm, silu, NNPACK's Winograd conv,
oneDNN's convolution with fused ReLU / add+ReLU on channels-last tensors, upsample_nearest2d, bfloat16 casts and allocation).

The code text is written by hand (Debian's torch 1.13 cannot script scaled_dot_product_attention, which appeared
in torch 2.0); the archive layout is the one torch.jit.save writes. Only the Python standard library is needed:
    /usr/bin/python3 src/test/reference/make_torch_ops.py
"""
import pathlib
import zipfile

CODE = '''class TorchOps(Module):
  __parameters__ = []
  __buffers__ = []
  training : bool
  def forward(self: __torch__.TorchOps,
    x: Tensor) -> Tensor:
    return x
  def sdpa(self: __torch__.TorchOps,
    q: Tensor,
    k: Tensor,
    v: Tensor) -> Tensor:
    return torch.scaled_dot_product_attention(q, k, v)
  def attention_rows(self: __torch__.TorchOps,
    q: Tensor,
    k: Tensor,
    v: Tensor,
    scale: float,
    rows: int) -> Tensor:
    outs = annotate(List[Tensor], [])
    n = torch.size(q, 2)
    kT = torch.transpose(k, 2, 3)
    for s in range(0, n, rows):
      qc = torch.mul(torch.slice(q, 2, s, s + rows), scale)
      torch.append(outs, torch.matmul(torch.softmax(torch.matmul(qc, kT), -1), v))
    return torch.cat(outs, 2)
  def onednn_linear(self: __torch__.TorchOps,
    x: Tensor,
    w: Tensor,
    b: Tensor) -> Tensor:
    return ops.mkldnn._linear_pointwise(x, w, b, "none", annotate(List[Optional[number]], []), "")
  def onednn_linear_nobias(self: __torch__.TorchOps,
    x: Tensor,
    w: Tensor) -> Tensor:
    return ops.mkldnn._linear_pointwise(x, w, None, "none", annotate(List[Optional[number]], []), "")
  def group_norm(self: __torch__.TorchOps,
    x: Tensor,
    groups: int,
    w: Tensor,
    b: Tensor,
    eps: float) -> Tensor:
    return torch.group_norm(x, groups, w, b, eps)
  def group_norm_silu(self: __torch__.TorchOps,
    x: Tensor,
    groups: int,
    w: Tensor,
    b: Tensor,
    eps: float) -> Tensor:
    return torch.silu_(torch.group_norm(x, groups, w, b, eps))
  def nnpack_conv(self: __torch__.TorchOps,
    x: Tensor,
    w: Tensor,
    b: Optional[Tensor],
    padding: int) -> Tensor:
    return torch._nnpack_spatial_convolution(x, w, b, [padding, padding], [1, 1])
  def nnpack_available(self: __torch__.TorchOps) -> bool:
    return torch._nnpack_available()
  def silu(self: __torch__.TorchOps,
    x: Tensor) -> Tensor:
    return torch.silu(x)
  def channels_last(self: __torch__.TorchOps,
    x: Tensor) -> Tensor:
    return torch.contiguous(x, memory_format=2)
  def contiguous(self: __torch__.TorchOps,
    x: Tensor) -> Tensor:
    return torch.contiguous(x)
  def onednn_conv(self: __torch__.TorchOps,
    x: Tensor,
    w: Tensor,
    b: Tensor,
    padding: int,
    relu: bool) -> Tensor:
    if relu:
      _0 = ops.mkldnn._convolution_pointwise(x, w, b, [padding, padding], [1, 1], [1, 1], 1, "relu", annotate(List[Optional[number]], []), None)
    else:
      _0 = ops.mkldnn._convolution_pointwise(x, w, b, [padding, padding], [1, 1], [1, 1], 1, "none", annotate(List[Optional[number]], []), None)
    return _0
  def onednn_conv_add_relu(self: __torch__.TorchOps,
    x: Tensor,
    other: Tensor,
    w: Tensor,
    b: Tensor,
    padding: int) -> Tensor:
    return ops.mkldnn._convolution_pointwise(x, other, w, b, [padding, padding], [1, 1], [1, 1], 1, "add", None, "relu", annotate(List[Optional[number]], []), None)
  def upsample_nearest(self: __torch__.TorchOps,
    x: Tensor,
    f: float) -> Tensor:
    return torch.upsample_nearest2d(x, None, [f, f])
  def to_bf16(self: __torch__.TorchOps,
    x: Tensor) -> Tensor:
    if torch.eq(ops.prim.dtype(x), 5):
      _0 = torch.to(torch.to(x, 6), 15)
    else:
      _0 = torch.to(x, 15)
    return _0
  def to_f32(self: __torch__.TorchOps,
    x: Tensor) -> Tensor:
    return torch.to(x, 6)
  def is_bf16(self: __torch__.TorchOps,
    x: Tensor) -> bool:
    return torch.eq(ops.prim.dtype(x), 15)
  def empty_like(self: __torch__.TorchOps,
    x: Tensor) -> Tensor:
    return torch.empty_like(x, dtype=None, layout=None, device=None, pin_memory=None, memory_format=0)
  def empty_bf16(self: __torch__.TorchOps,
    x: Tensor,
    channels: int) -> Tensor:
    _0 = [torch.size(x, 0), channels, torch.size(x, 2), torch.size(x, 3)]
    return torch.empty(_0, dtype=15, layout=None, device=None, pin_memory=None, memory_format=None)
'''

# data.pkl: pickle protocol 2 of __torch__.TorchOps with state {"training": False}, as torch.jit.save writes it
DATA_PKL = b'\x80\x02c__torch__\nTorchOps\nq\x00)\x81}(X\x08\x00\x00\x00trainingq\x01\x89ubq\x02.'
CONSTANTS_PKL = b'\x80\x02).'


def main():
    out = pathlib.Path(__file__).resolve().parents[3] / 'src/main/resources/com/inpaintstudio/tensor/torch-ops.pt'
    out.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(out, 'w', zipfile.ZIP_STORED) as z:
        for name, data in [('torch-ops/data.pkl', DATA_PKL),
                           ('torch-ops/code/__torch__.py', CODE.encode()),
                           ('torch-ops/constants.pkl', CONSTANTS_PKL),
                           ('torch-ops/version', b'3\n')]:
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            z.writestr(info, data)
    print(out)


if __name__ == '__main__':
    main()
