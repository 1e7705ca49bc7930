# Eli handed in the notebook without answering anything.
