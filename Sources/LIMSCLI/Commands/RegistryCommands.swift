import LIMSStore

/// `lims site|treatment|plot add|list`.
enum RegistryCommands {
    static let site = CommandSpec(
        name: "site", abstract: "Register and list field sites.",
        subcommands: [
            CommandSpec(
                name: "add", abstract: "Register a field site.",
                options: [
                    .value("code", "code", help: "Short unique code of the site (required), e.g. DN."),
                    .value("name", "text", help: "Full name."),
                    .value("county", "text", help: "County."),
                    .value("province", "text", help: "Province."),
                    .value("country", "text", help: "Country."),
                    .value("latitude", "degrees", help: "Latitude in decimal degrees (-90 to 90)."),
                    .value("longitude", "degrees", help: "Longitude in decimal degrees (-180 to 180)."),
                    .value("description", "text", help: "Free description."),
                ],
                examples: ["lims site add --code DN --name 'Dingnan demonstration site' --province Jiangxi"],
                run: { invocation in
                    let store = try invocation.openStore()
                    let site = try store.addSite(Site(
                        code: try invocation.required("code"), name: invocation.value("name"),
                        county: invocation.value("county"), province: invocation.value("province"),
                        country: invocation.value("country"),
                        latitude: try invocation.double("latitude", unit: "degrees"),
                        longitude: try invocation.double("longitude", unit: "degrees"),
                        description: invocation.value("description")))
                    invocation.console.out("Added site \(site.code).")
                    return ExitCode.success
                }),
            CommandSpec(
                name: "list", abstract: "List field sites.", options: [FormatOption.table],
                run: { invocation in
                    let store = try invocation.openStore(readOnly: true)
                    var table = ResultTable(columns: ["code", "name", "county", "province", "country", "latitude", "longitude"])
                    table.rows = try store.sites().map {
                        [.text($0.code), .optionalText($0.name), .optionalText($0.county), .optionalText($0.province),
                         .optionalText($0.country), .number($0.latitude), .number($0.longitude)]
                    }
                    return emit(table, invocation, noun: "sites")
                }),
        ])

    static let treatment = CommandSpec(
        name: "treatment", abstract: "Register and list reclamation treatments.",
        subcommands: [
            CommandSpec(
                name: "add", abstract: "Register a treatment of a site.",
                options: [
                    .value("site", "code", help: "Site code (required)."),
                    .value("code", "code", help: "Short unique code of the treatment (required), e.g. control."),
                    .value("name", "text", help: "Full name."),
                    .value("amendment", "text", help: "Organic amendment, e.g. 'pig manure + sawdust'."),
                    .value("rate", "kg/m2", help: "Amendment rate in kg/m2."),
                    .value("amended-on", "date", help: "Date of amendment (YYYY-MM-DD)."),
                    .value("plant", "text", help: "Plant, e.g. 'Miscanthus sinensis'."),
                    .value("planted-on", "date", help: "Planting date (YYYY-MM-DD)."),
                    .value("description", "text", help: "Free description."),
                ],
                examples: ["lims treatment add --site DN --code miscanthus --amendment 'pig manure + sawdust' --rate 2.6 --plant 'Miscanthus sinensis'"],
                run: { invocation in
                    let store = try invocation.openStore()
                    let treatment = try store.addTreatment(Treatment(
                        siteCode: try invocation.required("site"), code: try invocation.required("code"),
                        name: invocation.value("name"), amendment: invocation.value("amendment"),
                        amendmentRateKgPerM2: try invocation.double("rate", unit: "kg/m2"),
                        amendedOn: try invocation.date("amended-on"), plant: invocation.value("plant"),
                        plantedOn: try invocation.date("planted-on"), description: invocation.value("description")))
                    invocation.console.out("Added treatment \(treatment.code) at site \(treatment.siteCode).")
                    return ExitCode.success
                }),
            CommandSpec(
                name: "list", abstract: "List treatments.",
                options: [.value("site", "code", help: "Only this site."), FormatOption.table],
                run: { invocation in
                    let store = try invocation.openStore(readOnly: true)
                    if let site = invocation.value("site") { _ = try store.requireSite(code: site) }
                    var table = ResultTable(columns: ["code", "site", "name", "amendment", "rate_kg_m2", "plant", "planted_on"])
                    table.rows = try store.treatments(siteCode: invocation.value("site")).map {
                        [.text($0.code), .text($0.siteCode), .optionalText($0.name), .optionalText($0.amendment),
                         .number($0.amendmentRateKgPerM2), .optionalText($0.plant), .optionalText($0.plantedOn)]
                    }
                    return emit(table, invocation, noun: "treatments")
                }),
        ])

    static let plot = CommandSpec(
        name: "plot", abstract: "Register and list field plots.",
        subcommands: [
            CommandSpec(
                name: "add", abstract: "Register a plot of a treatment.",
                options: [
                    .value("treatment", "code", help: "Treatment code (required)."),
                    .value("code", "code", help: "Short unique code of the plot (required), e.g. C1."),
                    .value("replicate", "n", help: "Replicate number (1, 2, ...)."),
                    .value("area", "m2", help: "Plot area in m2."),
                    .value("description", "text", help: "Free description."),
                ],
                examples: ["lims plot add --treatment control --code C1 --replicate 1 --area 4"],
                run: { invocation in
                    let store = try invocation.openStore()
                    let plot = try store.addPlot(Plot(
                        treatmentCode: try invocation.required("treatment"), code: try invocation.required("code"),
                        replicate: try invocation.int("replicate"), areaM2: try invocation.double("area", unit: "m2"),
                        description: invocation.value("description")))
                    invocation.console.out("Added plot \(plot.code) to treatment \(plot.treatmentCode).")
                    return ExitCode.success
                }),
            CommandSpec(
                name: "list", abstract: "List plots.",
                options: [.value("treatment", "code", help: "Only this treatment."), FormatOption.table],
                run: { invocation in
                    let store = try invocation.openStore(readOnly: true)
                    if let code = invocation.value("treatment") { _ = try store.requireTreatment(code: code) }
                    var table = ResultTable(columns: ["code", "treatment", "replicate", "area_m2", "description"])
                    table.rows = try store.plots(treatmentCode: invocation.value("treatment")).map {
                        [.text($0.code), .text($0.treatmentCode), $0.replicate.map { .integer(Int64($0)) } ?? .null,
                         .number($0.areaM2), .optionalText($0.description)]
                    }
                    return emit(table, invocation, noun: "plots")
                }),
        ])

    /// Prints a listing, or a one-line notice on stderr when it is empty (exit 0 either way).
    static func emit(_ table: ResultTable, _ invocation: Invocation, noun: String) -> Int32 {
        if table.rows.isEmpty && invocation.outputFormat == .table {
            invocation.console.err("No \(noun) match.")
            return ExitCode.success
        }
        invocation.console.write(invocation.outputFormat.render(table))
        return ExitCode.success
    }
}
