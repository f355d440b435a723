extension String {
    /// The string without leading/trailing spaces, tabs and line breaks — without Foundation, which
    /// bridges to NSString and costs more than the rest of a cell's import on large files.
    var trimmedASCII: String {
        let utf8 = self.utf8
        guard let first = utf8.first, let last = utf8.last else { return self }
        func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D }
        if !isSpace(first) && !isSpace(last) { return self }
        guard let start = utf8.firstIndex(where: { !isSpace($0) }) else { return "" }
        let end = utf8.lastIndex(where: { !isSpace($0) })!
        return String(self[start...end])
    }
}
