"""The event gate: its probability decides what is kept, its calibrated map gives the record's confidence."""

from __future__ import annotations

import numpy as np

from dateline.events.gate import Gate, get_gate


def test_confidence_is_the_calibrated_probability_and_the_minimum_stays_on_the_raw_scale():
    cal = (np.array([0.0, 0.5, 1.0]), np.array([0.0, 0.3, 0.9]))
    gate = Gate(np.zeros(4), 0.0, minimum=0.5, calibration=cal)
    assert gate.confidence(0.5) == 0.3 and gate.confidence(1.0) == 0.9
    assert gate.keeps(0.5, {}) and not gate.keeps(0.49, {})  # the raw probability decides what is kept
    assert Gate(np.zeros(4), 0.0, minimum=0.5).confidence(0.42) == 0.42  # no map: the probability itself


def test_shipped_gates_are_calibrated_and_monotone():
    for profile in ("accurate", "fast"):
        gate = get_gate(profile)
        assert gate is not None and gate.calibration is not None, profile
        values = [gate.confidence(p) for p in np.linspace(0, 1, 21)]
        assert all(a <= b for a, b in zip(values, values[1:], strict=False)), profile
        assert 0.0 <= values[0] and values[-1] <= 1.0


def test_a_saved_gate_keeps_its_calibration(tmp_path):
    cal = (np.linspace(0, 1, 5), np.linspace(0.1, 0.8, 5))
    path = tmp_path / "g.npz"
    Gate(np.ones(8), -1.0, 0.4, 0.05, cal).save(path)
    with np.load(path) as z:
        assert np.allclose(z["cal_y"], cal[1]) and float(z["minimum"][0]) == 0.4
