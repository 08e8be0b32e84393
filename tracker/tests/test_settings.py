"""The settings read from the environment refuse a value they do not understand, rather than guess."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from tracker.settings import envbool, envint


@pytest.mark.parametrize("value", ["1", "true", "Yes", " on "])
def test_it_reads_on(monkeypatch, value):
    monkeypatch.setenv("TRACKER_TEST_FLAG", value)
    assert envbool("TRACKER_TEST_FLAG", "off") is True


@pytest.mark.parametrize("value", ["0", "false", "No", "off"])
def test_it_reads_off(monkeypatch, value):
    monkeypatch.setenv("TRACKER_TEST_FLAG", value)
    assert envbool("TRACKER_TEST_FLAG", "on") is False


def test_it_takes_the_default_when_unset_or_empty(monkeypatch):
    monkeypatch.delenv("TRACKER_TEST_FLAG", raising=False)
    assert envbool("TRACKER_TEST_FLAG", "on") is True
    monkeypatch.setenv("TRACKER_TEST_FLAG", "")
    assert envbool("TRACKER_TEST_FLAG", "off") is False


def test_a_typo_in_an_on_off_setting_stops_the_app(monkeypatch):
    monkeypatch.setenv("TRACKER_TEST_FLAG", "ture")
    with pytest.raises(ImproperlyConfigured, match="TRACKER_TEST_FLAG"):
        envbool("TRACKER_TEST_FLAG", "off")


def test_a_number_setting_refuses_a_word(monkeypatch):
    monkeypatch.setenv("TRACKER_TEST_NUMBER", "sixty")
    with pytest.raises(ImproperlyConfigured, match="TRACKER_TEST_NUMBER"):
        envint("TRACKER_TEST_NUMBER", 60)
    monkeypatch.setenv("TRACKER_TEST_NUMBER", "30")
    assert envint("TRACKER_TEST_NUMBER", 60) == 30
