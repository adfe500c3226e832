/// The page's style sheet, inline: laptop width first (content at most
/// 1120 px, one column below 900 px), and print to A4 (each section from a
/// new page, charts and table rows kept whole, colours kept).
extension HTMLReport {
    static let css = """
    :root { color-scheme: light; }
    * { box-sizing: border-box; }
    body { margin: 0; background: #f4f5f7; color: #1c1c1c; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif;
           -webkit-print-color-adjust: exact; print-color-adjust: exact; }
    main { max-width: 1120px; margin: 0 auto; padding: 24px 28px 40px; background: #fff; }
    header { border-bottom: 3px solid #2f6fd6; margin-bottom: 8px; }
    h1 { font-size: 26px; margin: 0 0 4px; }
    h2 { font-size: 21px; margin: 28px 0 8px; padding-top: 8px; border-top: 1px solid #ddd; }
    h3 { font-size: 16px; margin: 18px 0 6px; }
    .period { margin: 0 0 6px; color: #333; }
    nav { margin: 6px 0 10px; }
    nav a { margin-right: 14px; color: #2f6fd6; text-decoration: none; }
    .notice { background: #fff4e0; border: 1px solid #f29e2e; padding: 10px 14px; border-radius: 4px; }
    .empty { color: #555; font-style: italic; }
    .how { color: #555; font-size: 13px; }
    code { font: 13px ui-monospace, "DejaVu Sans Mono", monospace; background: #f0f0f0; padding: 0 3px; border-radius: 3px; }
    .tiles { display: flex; flex-wrap: wrap; gap: 10px; margin: 8px 0 14px; }
    .tile { flex: 1 1 140px; border: 1px solid #ddd; border-radius: 6px; padding: 8px 12px; }
    .tile .value { font-size: 22px; font-weight: 600; }
    .tile .label { color: #555; font-size: 13px; }
    figure { margin: 6px 0 10px; }
    figcaption { font-weight: 600; font-size: 14px; margin-bottom: 2px; }
    svg.chart { display: block; max-width: 100%; height: auto; }
    svg.swatch { vertical-align: -1px; }
    .grid3 { display: grid; grid-template-columns: repeat(3, 1fr); gap: 14px; }
    .grid2 { display: grid; grid-template-columns: 1fr 1fr; gap: 14px; align-items: start; }
    .legend { font-size: 13px; margin: 4px 0; }
    .legend span { margin-right: 14px; white-space: nowrap; }
    table { border-collapse: collapse; width: 100%; font-size: 13px; margin: 4px 0 10px; }
    th, td { text-align: left; padding: 3px 6px; border-bottom: 1px solid #e4e4e4; vertical-align: top; }
    th { background: #eef1f6; font-weight: 600; }
    td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
    tbody tr:nth-child(even) { background: #fafafa; }
    td { overflow-wrap: break-word; }
    td.nowrap, th.nowrap { white-space: nowrap; }
    .id { font: 11px ui-monospace, "DejaVu Sans Mono", monospace; overflow-wrap: anywhere; word-break: break-all; }
    .flag { display: inline-block; font-size: 11px; padding: 0 5px; margin: 1px 0; border-radius: 8px; background: #e8eefb; color: #23479a; white-space: nowrap; }
    .flag.serious { background: #fde4e7; color: #9b1426; }
    footer { margin-top: 30px; padding-top: 8px; border-top: 1px solid #ddd; color: #555; font-size: 12px; }
    @media (max-width: 900px) { .grid3, .grid2 { grid-template-columns: 1fr; } main { padding: 14px; } }
    @page { size: A4; margin: 12mm; }
    @media print {
      body { background: #fff; font-size: 11pt; }
      main { max-width: none; padding: 0; }
      nav { display: none; }
      h2 { break-after: avoid; border-top: none; margin-top: 0; }
      section:not(#fleet) { break-before: page; }
      h3 { break-after: avoid; }
      figure, .tiles, tr { break-inside: avoid; }
      thead { display: table-header-group; }
      .grid3, .grid2 { grid-template-columns: 1fr 1fr; }
      .tile { flex: 1 1 90px; padding: 4px 8px; }
      .tile .value { font-size: 16pt; }
      table { font-size: 9pt; }
    }

    """
}
