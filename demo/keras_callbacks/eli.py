# Eli handed in the notebook without answering anything.
# Expected: compile 0 / 10 (compile_model is not defined); callbacks 0 / 10 (make_callbacks is not defined).
# Total 0 / 20.
