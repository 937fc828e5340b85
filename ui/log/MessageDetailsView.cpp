#include "log/MessageDetailsView.h"

#include "log/TrafficLogModel.h"
#include "util/JsonText.h"
#include "widgets/PayloadView.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QResizeEvent>
#include <QTabBar>
#include <QTabWidget>
#include <QToolButton>
#include <QVBoxLayout>

namespace rpcbench {

MessageDetailsView::MessageDetailsView(QWidget* parent)
    : QWidget(parent), m_summary(new QLabel(this)), m_jump(new QToolButton(this)),
      m_tabs(new QTabWidget(this)), m_pretty(new PayloadView(PayloadView::Mode::Pretty)),
      m_raw(new PayloadView(PayloadView::Mode::Raw)), m_hex(new PayloadView(PayloadView::Mode::Hex))
{
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_summary->setWordWrap(true);
    m_jump->setObjectName(QStringLiteral("jumpToPartnerButton"));
    m_jump->setIcon(QIcon(QStringLiteral(":/icons/jump.svg")));
    m_jump->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_jump->setEnabled(false);
    connect(m_jump, &QToolButton::clicked, this, &MessageDetailsView::jumpToPartnerRequested);

    m_tabs->setObjectName(QStringLiteral("detailsTabs"));
    m_tabs->setDocumentMode(true);
    m_tabs->addTab(m_pretty, tr("Pretty"));
    m_tabs->addTab(m_raw, tr("Raw"));
    m_tabs->addTab(m_hex, tr("Hex"));

    auto* header = new QHBoxLayout;
    header->addWidget(m_summary, 1);
    header->addWidget(m_jump);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(header);
    layout->addWidget(m_tabs, 1);
    showRecord(nullptr, false);
    QWidget::setTabOrder(m_jump, m_tabs);
    // Squeezed by a small dock, the pane keeps its summary line and yields the rest.
    setMinimumHeight(m_jump->sizeHint().height() + 8);
}

// Below three lines of payload, the tabs would be a sliver of scroll bars: hidden instead.
void MessageDetailsView::resizeEvent(QResizeEvent* event)
{
    QWidget::resizeEvent(event);
    const int needed =
        m_jump->sizeHint().height() + m_tabs->tabBar()->sizeHint().height() + 3 * fontMetrics().height();
    m_tabs->setVisible(height() >= needed);
}

QWidget* MessageDetailsView::firstInTabOrder() const
{
    return m_jump;
}

void MessageDetailsView::showRecord(const LogRecord* record, bool hasPartner)
{
    m_showing = record != nullptr;
    if (!record) {
        m_summary->setText(tr("Select a message to see its bytes."));
        m_jump->setText(tr("Go to reply"));
        m_jump->setEnabled(false);
        for (PayloadView* view : {m_pretty, m_raw, m_hex})
            view->clear();
        return;
    }
    const TrafficEvent& e = record->event;
    const MessageSummary& s = e.summary;
    QString text = QStringLiteral("<b>%1</b> %2 · %3 · %4 · %5")
                       .arg(record->kindName().toHtmlEscaped(), s.method.toHtmlEscaped(),
                            toString(e.side) + QLatin1Char(' ') + toString(e.direction),
                            QStringLiteral("#%1 %2").arg(e.connectionId).arg(e.peer).toHtmlEscaped(),
                            JsonText::formatBytes(e.raw.size()));
    if (record->isStderr())
        text += tr(" · <i>standard error of the launched process</i>");
    if (!s.idJson.isEmpty())
        text += QStringLiteral(" · id %1").arg(QString::fromUtf8(s.idJson).toHtmlEscaped());
    if (record->latencyUs >= 0)
        text += QStringLiteral(" · %1").arg(JsonText::formatLatency(record->latencyUs));
    if (s.faulted)
        text += tr(" · <i>faulted on purpose</i>");
    if (e.late)
        text += QStringLiteral(" · <i>%1</i>").arg(TrafficLogModel::lateMarker().toHtmlEscaped());
    m_summary->setText(text);
    m_jump->setText(record->isRequestLike() ? tr("Go to reply") : tr("Go to request"));
    m_jump->setEnabled(hasPartner);
    for (PayloadView* view : {m_pretty, m_raw, m_hex})
        view->setPayload(e.raw);
}

void MessageDetailsView::setPartnerAvailable(bool available)
{
    m_jump->setEnabled(m_showing && available);
}

} // namespace rpcbench
