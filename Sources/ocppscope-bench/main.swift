print("ocppscope-bench: not written yet")
