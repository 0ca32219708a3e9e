"""Lifecycle and route definitions as data, compiled to `transitions` machines.

This package does no I/O and imports neither `workflow` nor SQLAlchemy.
"""
from states.lifecycle import ACTIONS, LEVELS, STATES, TERMINAL_STATES
from states.machines import RouteMachine, machine_for, mermaid
from states.routes import ROUTES, Route, Step

__all__ = [
    "ACTIONS", "LEVELS", "STATES", "TERMINAL_STATES", "ROUTES", "Route", "Step",
    "RouteMachine", "machine_for", "mermaid",
]
