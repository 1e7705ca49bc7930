# expect: practice1=0 practice2=0
# feedback: practice1: build_sequential_model is not defined
# feedback: practice2: build_residual_model is not defined
# Nothing is defined: each practice scores 0 with that reason. practice 1: 0; practice 2: 0.
