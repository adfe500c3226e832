print("ocppscope")
