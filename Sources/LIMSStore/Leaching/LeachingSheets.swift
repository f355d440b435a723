/// The lab sheets of leaching and seepage experiments, in the order they are usually imported.
public enum LeachingSheets {
    public static let all: [any SheetImporter] = [
        LeachingRunSheet(), LeachateSheet(), ElectricLogSheet(), CathodeSheet(), LeachingResidualSheet(),
        SeepageTestSheet(), HeadReadingSheet(), SWCCSheet(),
    ]
}
