import Foundation

// A thin executable: everything happens in LIMSMain (and the libraries under it).
exit(LIMSMain.run(arguments: Array(CommandLine.arguments.dropFirst())))
