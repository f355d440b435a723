import LIMSStore

enum OutputFormat: String {
    case table, csv, json

    /// `guardingFormulas`: CSV text cells starting a formula get an apostrophe (query and export; see CSVField).
    func render(_ table: ResultTable, guardingFormulas: Bool = false) -> String {
        switch self {
        case .table: return table.renderText()
        case .csv: return table.renderCSV(guardingFormulas: guardingFormulas)
        case .json: return table.renderJSON()
        }
    }
}
