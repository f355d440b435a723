import LIMSStore
