# expect: practice1=0 practice2=0
# feedback: practice1: build_sequential_model is not defined
# feedback: practice2: build_residual_model is not defined
