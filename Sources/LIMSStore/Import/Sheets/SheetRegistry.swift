/// Every lab sheet kind, in the order a lab fills them (a sheet refers only to kinds above it).
/// `lims import KIND`, `lims template KIND` and the README are generated from this list:
/// adding a kind is one line here.
public enum SheetRegistry {
    public static let all: [any SheetImporter] = [
        SitesSheet(),
        TreatmentsSheet(),
        PlotsSheet(),
        SamplesSheet(),
        FractionsSheet(),
        ExtractionsSheet(),
        PropertiesSheet(),
        ThinSectionsSheet(),
        XRFMapsSheet(),
        POIsSheet(),
        XANESSheet(),
        LCFSheet(),
        CorrelationsSheet(),
    ] + LeachingSheets.all

    public static var kinds: [String] { all.map(\.kind) }

    public static func importer(kind: String) -> (any SheetImporter)? {
        all.first { $0.kind == kind }
    }
}
