import EucaCore
