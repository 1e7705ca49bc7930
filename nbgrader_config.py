"""nbgrader settings for the Keras lesson; nbgrader reads this file from the course root.

Everything an instructor would otherwise discover the hard way is set here:
where the source notebooks live, how long a training cell may run, TensorFlow
kept off stderr (nbgrader gives a grade cell 0 points for any stderr output),
and hidden tests kept out of the feedback students receive.
"""

import os

from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor
from nbgrader.preprocessors import ClearHiddenTests, GetGrades

# Inherited by every kernel nbgrader starts: TensorFlow's C++ logs and oneDNN
# notice stay quiet from the first import on.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")
# matplotlib draws to files, never to a window, when notebooks run unattended.
os.environ.setdefault("MPLBACKEND", "Agg")

c = get_config()  # noqa: F821  (provided by nbgrader when it loads this file)

c.CourseDirectory.course_id = "keras-lesson"
c.CourseDirectory.source_directory = "exercises"
# The notebooks train small CNNs; a cell may need a few minutes on a slow laptop.
c.Execute.timeout = 600
c.Execute.interrupt_on_timeout = True
# Students' answers that crash the kernel get one more try, then count as failed.
c.Execute.execute_retries = 1

c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE"

# Feedback shows each grade cell's output (scores and messages) but never the
# code between ### BEGIN HIDDEN TESTS and ### END HIDDEN TESTS.
c.GenerateFeedback.preprocessors = [GetGrades, ClearHiddenTests, CSSHTMLHeaderPreprocessor]
