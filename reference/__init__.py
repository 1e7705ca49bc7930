"""Reference answers: one module per practice, each defining the contract function."""
