print("euca")
