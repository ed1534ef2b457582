//! The reports page's words in English, Simplified Chinese and Spanish (the chart words
//! are the API's: `api::reports::ChartWords`).

use crate::ui::i18n::Lang;

/// One language's words.
#[derive(Debug)]
pub struct ReportTexts {
    /// Page title.
    pub title: &'static str,
    /// Under the title.
    pub intro: &'static str,
    /// Agents' note.
    pub own_only: &'static str,
    /// Form legend.
    pub form_label: &'static str,
    /// From.
    pub from: &'static str,
    /// To.
    pub to: &'static str,
    /// The end is exclusive.
    pub to_hint: &'static str,
    /// Interval.
    pub interval: &'static str,
    /// Group by.
    pub by: &'static str,
    /// KPIs.
    pub kpis: &'static str,
    /// Queue filter.
    pub queue: &'static str,
    /// Team filter.
    pub team: &'static str,
    /// No filter.
    pub all: &'static str,
    /// Run.
    pub run: &'static str,
    /// Download.
    pub download_csv: &'static str,
    /// Results heading.
    pub results: &'static str,
    /// `Times in {tz}; {n} contacts`.
    pub summary: &'static str,
    /// Interval column.
    pub col_interval: &'static str,
    /// Totals row label.
    pub total: &'static str,
    /// Charts heading.
    pub charts: &'static str,
    /// Wait distribution heading.
    pub waits: &'static str,
    /// A KPI nothing feeds yet.
    pub not_fed: &'static str,
    /// Error heading.
    pub error: &'static str,
    /// No records.
    pub no_rows: &'static str,
    /// Interval names: 15m, 30m, 1h, day, week, month.
    pub intervals: [&'static str; 6],
    /// Grouping names: queue, team, agent, channel, none.
    pub dims: [&'static str; 5],
}

/// English.
pub const EN: ReportTexts = ReportTexts {
    title: "Reports",
    intro: "Interval reports from the contact records, with the KPI definitions of the registry.",
    own_only: "You see your own contacts only.",
    form_label: "Report settings",
    from: "From",
    to: "To",
    to_hint: "The day after the last day reported.",
    interval: "Interval",
    by: "Group by",
    kpis: "KPIs",
    queue: "Queue",
    team: "Team",
    all: "All",
    run: "Run report",
    download_csv: "Download CSV",
    results: "Results",
    summary: "Times in {tz}; {n} contacts.",
    col_interval: "Interval",
    total: "Total",
    charts: "Charts",
    waits: "Wait distribution",
    not_fed: "not fed yet",
    error: "The report could not be run",
    no_rows: "No contact records in the period.",
    intervals: ["15 min", "30 min", "1 hour", "Day", "Week", "Month"],
    dims: ["Queue", "Team", "Agent", "Channel", "Nothing"],
};

/// Simplified Chinese.
pub const ZH_CN: ReportTexts = ReportTexts {
    title: "报表",
    intro: "根据通话记录生成的时段报表，指标定义见指标库。",
    own_only: "您只能看到自己处理的联络。",
    form_label: "报表设置",
    from: "开始日期",
    to: "结束日期",
    to_hint: "所报最后一天的次日。",
    interval: "时段",
    by: "分组",
    kpis: "指标",
    queue: "队列",
    team: "班组",
    all: "全部",
    run: "生成报表",
    download_csv: "下载 CSV",
    results: "结果",
    summary: "时间按 {tz}；共 {n} 个联络。",
    col_interval: "时段",
    total: "合计",
    charts: "图表",
    waits: "等待时长分布",
    not_fed: "暂无数据来源",
    error: "无法生成报表",
    no_rows: "该期间没有通话记录。",
    intervals: ["15 分钟", "30 分钟", "1 小时", "天", "周", "月"],
    dims: ["队列", "班组", "坐席", "渠道", "不分组"],
};

/// Spanish.
pub const ES: ReportTexts = ReportTexts {
    title: "Informes",
    intro: "Informes por intervalo a partir de los registros de contactos, con las definiciones de KPI del registro.",
    own_only: "Solo ve sus propios contactos.",
    form_label: "Ajustes del informe",
    from: "Desde",
    to: "Hasta",
    to_hint: "El día siguiente al último día del informe.",
    interval: "Intervalo",
    by: "Agrupar por",
    kpis: "Indicadores",
    queue: "Cola",
    team: "Equipo",
    all: "Todas",
    run: "Generar informe",
    download_csv: "Descargar CSV",
    results: "Resultados",
    summary: "Horas en {tz}; {n} contactos.",
    col_interval: "Intervalo",
    total: "Total",
    charts: "Gráficos",
    waits: "Distribución de la espera",
    not_fed: "aún sin datos",
    error: "No se pudo generar el informe",
    no_rows: "No hay registros de contactos en el periodo.",
    intervals: ["15 min", "30 min", "1 hora", "Día", "Semana", "Mes"],
    dims: ["Cola", "Equipo", "Agente", "Canal", "Nada"],
};

/// The words of `lang`.
pub fn texts(lang: Lang) -> &'static ReportTexts {
    match lang {
        Lang::En => &EN,
        Lang::ZhCn => &ZH_CN,
        Lang::Es => &ES,
    }
}
