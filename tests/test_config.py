"""Settings travel as objects (config.ReadSettings), not through os.environ."""

from __future__ import annotations

import pickle

import pytest

from analogscan.batch import BatchConfig
from analogscan.config import Budget, ReadSettings
from analogscan.ingest import pdf
from analogscan.pipeline import reading


def test_read_settings_are_frozen_and_picklable() -> None:
    s = ReadSettings(format_in="pdf", ocr=True, page_jobs=2)
    assert pickle.loads(pickle.dumps(s)) == s  # sent to worker processes and dask workers
    with pytest.raises(AttributeError):
        s.ocr = False  # type: ignore[misc]
    assert pickle.loads(pickle.dumps(Budget(1.0, 2))) == Budget(1.0, 2)


def test_reading_sets_the_pdf_reader_for_one_document_only(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(pdf.OCR_ENV, raising=False)
    assert pdf.OCR_ENABLED is None and pdf.PAGE_JOBS == 1
    with reading(ReadSettings(ocr=True, page_jobs=3)):
        assert pdf.ocr_enabled() and pdf.PAGE_JOBS == 3
    assert pdf.OCR_ENABLED is None and pdf.PAGE_JOBS == 1
    with reading(None):
        assert pdf.OCR_ENABLED is None


def test_batch_config_resolves_ocr_explicitly(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(pdf.OCR_ENV, raising=False)
    assert BatchConfig().read_settings() == ReadSettings(None, False, 1)
    assert BatchConfig(ocr=True, format_in="pdf").read_settings(2) == ReadSettings("pdf", True, 2)
    monkeypatch.setenv(pdf.OCR_ENV, "1")  # the parent's environment is read once, in the parent
    assert BatchConfig().read_settings().ocr is True
    assert BatchConfig(ocr=False).read_settings().ocr is False
