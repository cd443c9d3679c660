"""Evidence-to-learning site generator: content/*.yaml -> model -> pages, quizzes, PDF."""
