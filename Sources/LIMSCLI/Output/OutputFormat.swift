import LIMSStore

enum OutputFormat: String {
    case table, csv, json

    func render(_ table: ResultTable) -> String {
        switch self {
        case .table: return table.renderText()
        case .csv: return table.renderCSV()
        case .json: return table.renderJSON()
        }
    }
}
