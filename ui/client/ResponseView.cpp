#include "client/ResponseView.h"

#include "util/JsonText.h"
#include "widgets/Palette.h"
#include "widgets/PayloadView.h"

#include <QHBoxLayout>
#include <QJsonArray>
#include <QJsonObject>
#include <QLabel>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QTabWidget>
#include <QVBoxLayout>

namespace rpcbench {

namespace {

QString statusLine(const CallResult& r)
{
    switch (r.status) {
    case CallStatus::Ok:
        return r.notification ? QObject::tr("notification sent") : QObject::tr("result");
    case CallStatus::RpcError:
        return QObject::tr("error %1: %2").arg(r.error.code).arg(r.error.message);
    case CallStatus::Timeout:
        return QObject::tr("timeout: %1").arg(r.transportError);
    case CallStatus::TransportError:
        return QObject::tr("transport error: %1").arg(r.transportError);
    case CallStatus::Cancelled:
        return QObject::tr("cancelled");
    case CallStatus::NoReply:
        return QObject::tr("no reply: %1").arg(r.transportError);
    }
    return {};
}

StatusIcon statusIcon(const CallResult& r)
{
    switch (r.status) {
    case CallStatus::Ok:
        return StatusIcon::Ok;
    case CallStatus::RpcError:
        return StatusIcon::Error;
    case CallStatus::Timeout:
        return StatusIcon::Timeout;
    case CallStatus::TransportError:
    case CallStatus::NoReply:
        return StatusIcon::Warning;
    case CallStatus::Cancelled:
        break;
    }
    return StatusIcon::None;
}

// What the result tab shows for one call: the result, the error object, or nothing.
QJsonValue outcome(const CallResult& r)
{
    if (r.status == CallStatus::Ok)
        return r.result;
    if (r.status == CallStatus::RpcError)
        return r.error.toJson();
    return QJsonValue::Undefined;
}

} // namespace

ResponseView::ResponseView(QWidget* parent)
    : QWidget(parent), m_statusIcon(new QLabel(this)), m_status(new QLabel(this)), m_meta(new QLabel(this)),
      m_cancel(new QPushButton(tr("Cancel"), this)), m_progress(new QProgressBar(this)),
      m_progressText(new QLabel(this)), m_tabs(new QTabWidget(this)),
      m_result(new PayloadView(PayloadView::Mode::Pretty)),
      m_reply(new PayloadView(PayloadView::Mode::Pretty)),
      m_request(new PayloadView(PayloadView::Mode::Pretty))
{
    m_statusIcon->setObjectName(QStringLiteral("responseStatusIcon"));
    m_statusIcon->setAlignment(Qt::AlignTop);
    m_status->setObjectName(QStringLiteral("responseStatus"));
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_status->setWordWrap(true);
    QFont bold = m_status->font();
    bold.setBold(true);
    m_status->setFont(bold);
    m_meta->setObjectName(QStringLiteral("responseMeta"));
    m_meta->setForegroundRole(QPalette::PlaceholderText);
    m_cancel->setObjectName(QStringLiteral("cancelCallButton"));
    m_cancel->hide();
    connect(m_cancel, &QPushButton::clicked, this, &ResponseView::cancelRequested);
    m_progress->setObjectName(QStringLiteral("callProgressBar"));
    m_progress->setMaximumHeight(m_progress->fontMetrics().height());
    m_progress->hide();
    m_progressText->setObjectName(QStringLiteral("callProgressText"));
    m_progressText->setWordWrap(true);
    m_progressText->hide();
    m_result->setObjectName(QStringLiteral("responseView"));
    m_result->editor()->setObjectName(QStringLiteral("responseText"));
    m_tabs->setDocumentMode(true);
    m_tabs->addTab(m_result, tr("Result"));
    m_tabs->addTab(m_reply, tr("Reply bytes"));
    m_tabs->addTab(m_request, tr("Request bytes"));

    auto* header = new QHBoxLayout;
    header->addWidget(m_statusIcon);
    header->addWidget(m_status, 1);
    header->addWidget(m_meta);
    header->addWidget(m_cancel);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(header);
    layout->addWidget(m_progress);
    layout->addWidget(m_progressText);
    layout->addWidget(m_tabs, 1);
    setStatus(tr("No call yet: pick a method and press Send (Ctrl+Return)."), Tone::Neutral);
}

void ResponseView::setStatus(const QString& text, Tone tone, StatusIcon icon)
{
    StatusIcons::setPixmap(m_statusIcon, icon);
    m_status->setText(text);
    QPalette pal = palette();
    if (tone != Tone::Neutral)
        pal.setColor(QPalette::WindowText, tone == Tone::Good ? Palette::okColor() : Palette::errorColor());
    m_status->setPalette(pal);
}

void ResponseView::setMeta(qint64 latencyUs, qint64 size)
{
    QStringList parts;
    if (latencyUs >= 0)
        parts << JsonText::formatLatency(latencyUs);
    if (size > 0)
        parts << JsonText::formatBytes(size);
    m_meta->setText(parts.join(QStringLiteral(" · ")));
}

void ResponseView::hideProgress()
{
    m_progress->hide();
    m_progressText->hide();
    m_progressText->clear();
}

void ResponseView::showProgress(const CallProgress& p)
{
    if (m_cancel->isHidden())
        return; // the call has ended: a straggling notification changes nothing
    if (p.total > 0 && p.progress >= 0) {
        m_progress->setRange(0, 1000);
        m_progress->setValue(int(qBound(0.0, p.progress / p.total, 1.0) * 1000));
        m_progress->setFormat(tr("%1 %").arg(int(qBound(0.0, p.progress / p.total, 1.0) * 100)));
    } else {
        m_progress->setRange(0, 0); // busy: the server gave no total
    }
    m_progress->setVisible(!p.done);
    m_progressText->setText(p.message);
    m_progressText->setVisible(!p.message.isEmpty());
}

QString ResponseView::progressText() const
{
    return m_progressText->text();
}

void ResponseView::showPending(const QString& what)
{
    hideProgress();
    setStatus(what, Tone::Neutral);
    m_meta->clear();
    m_cancel->show();
    for (PayloadView* view : {m_result, m_reply, m_request})
        view->clear(); // never show the previous call's answer under the new call's status
}

void ResponseView::showResult(const CallResult& r)
{
    m_cancel->hide();
    hideProgress();
    setStatus(statusLine(r), r.ok() ? Tone::Good : Tone::Bad, statusIcon(r));
    setMeta(r.latencyUs, r.replySize > 0 ? r.replySize : r.replyBytes.size());
    const QJsonValue shown = outcome(r);
    if (shown.isUndefined())
        m_result->setMessage(r.ok() ? QString() : r.describe());
    else
        m_result->setPayload(JsonText::serialize(shown));
    m_reply->setPayload(r.replyBytes);
    m_request->setPayload(r.requestBytes);
    m_tabs->setCurrentWidget(m_result);
}

void ResponseView::showBatch(const BatchResult& b)
{
    m_cancel->hide();
    hideProgress();
    int failed = 0;
    QJsonArray items;
    for (const CallResult& item : b.items) {
        QJsonObject o{{QStringLiteral("method"), item.method},
                      {QStringLiteral("status"), toString(item.status)}};
        const QJsonValue value = outcome(item);
        if (item.status == CallStatus::Ok && !value.isUndefined())
            o.insert(QStringLiteral("result"), value);
        else if (item.status == CallStatus::RpcError)
            o.insert(QStringLiteral("error"), value);
        else if (!item.transportError.isEmpty())
            o.insert(QStringLiteral("reason"), item.transportError);
        failed += item.ok() ? 0 : 1;
        items.append(o);
    }
    QString status =
        b.ok()
            ? tr("batch of %1: %2 ok, %3 failed").arg(b.items.size()).arg(b.items.size() - failed).arg(failed)
            : tr("batch failed: %1").arg(b.transportError.isEmpty() ? b.error.message : b.transportError);
    setStatus(status, b.allOk() ? Tone::Good : Tone::Bad,
              b.allOk() ? StatusIcon::Ok : (b.ok() ? StatusIcon::Warning : StatusIcon::Error));
    setMeta(b.latencyUs, b.replySize > 0 ? b.replySize : b.replyBytes.size());
    m_result->setPayload(JsonText::serialize(items));
    m_reply->setPayload(b.replyBytes);
    m_request->setPayload(b.requestBytes);
    m_tabs->setCurrentWidget(m_result);
}

void ResponseView::showProblem(const QString& text)
{
    m_cancel->hide();
    hideProgress();
    setStatus(text, Tone::Bad, StatusIcon::Warning);
    m_meta->clear();
}

void ResponseView::showLateReply(qint64 latencyUs)
{
    setStatus(tr("%1 — late (after timeout): the reply came after %2")
                  .arg(m_status->text(), JsonText::formatLatency(latencyUs)),
              Tone::Bad, StatusIcon::Late);
}

QString ResponseView::statusIconPath() const
{
    return m_statusIcon->property("statusIcon").toString();
}

QString ResponseView::resultText()
{
    return m_result->text();
}

QString ResponseView::statusText() const
{
    return m_status->text();
}

} // namespace rpcbench
