#include "server/SubscribeHandlerWidget.h"

#include "util/JsonText.h"

#include <QFontDatabase>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QSpinBox>

#include <limits>

namespace rpcbench {

SubscribeHandlerWidget::SubscribeHandlerWidget(QWidget* parent)
    : QWidget(parent), m_notification(new QLineEdit(this)), m_interval(new QSpinBox(this)),
      m_maxEvents(new QSpinBox(this)), m_template(new QPlainTextEdit(this))
{
    m_notification->setObjectName(QStringLiteral("subscribeNotificationEdit"));
    m_notification->setPlaceholderText(QStringLiteral("eth_subscription"));
    m_notification->setToolTip(tr("The method of the notifications each event is sent as"));
    m_interval->setObjectName(QStringLiteral("subscribeIntervalSpin"));
    m_interval->setRange(1, std::numeric_limits<int>::max());
    m_interval->setSuffix(tr(" ms"));
    m_interval->setSingleStep(100);
    m_maxEvents->setObjectName(QStringLiteral("subscribeMaxEventsSpin"));
    m_maxEvents->setRange(0, std::numeric_limits<int>::max());
    m_maxEvents->setSuffix(tr(" events"));
    m_maxEvents->setSpecialValueText(tr("no limit (until unsubscribe)"));
    m_template->setObjectName(QStringLiteral("subscribeTemplateEdit"));
    m_template->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_template->setTabChangesFocus(true);
    m_template->setPlaceholderText(
        tr("Empty for the default:\n%1")
            .arg(QString::fromUtf8(JsonText::serialize(Subscriptions::defaultTemplate(), true))));
    auto* hint =
        new QLabel(tr("The call answers a new subscription id, then the caller gets a notification per "
                      "interval. In the template, \"{{subscription}}\" is that id, \"{{n}}\" the event's "
                      "number (1, 2, …) and \"{{time}}\" the time in ms since the epoch; alone in a string, "
                      "{{n}} and {{time}} become numbers."),
                   this);
    hint->setObjectName(QStringLiteral("subscribeHint"));
    hint->setWordWrap(true);

    auto* form = new QFormLayout(this);
    form->setContentsMargins(0, 0, 0, 0);
    form->addRow(tr("Notification"), m_notification);
    form->addRow(tr("Every"), m_interval);
    form->addRow(tr("Stop after"), m_maxEvents);
    form->addRow(tr("Event params"), m_template);
    form->addRow(hint);
}

QList<QWidget*> SubscribeHandlerWidget::focusOrder() const
{
    return {m_notification, m_interval, m_maxEvents, m_template};
}

void SubscribeHandlerWidget::setSettings(const SubscribeSettings& s)
{
    m_notification->setText(s.notification);
    m_interval->setValue(s.intervalMs);
    m_maxEvents->setValue(s.maxEvents);
    m_template->setPlainText(s.params.isUndefined() ? QString()
                                                    : QString::fromUtf8(JsonText::serialize(s.params, true)));
}

std::optional<SubscribeSettings> SubscribeHandlerWidget::settings(QString* error) const
{
    SubscribeSettings s;
    s.notification = m_notification->text().trimmed();
    s.intervalMs = m_interval->value();
    s.maxEvents = m_maxEvents->value();
    const QString text = m_template->toPlainText().trimmed();
    if (!text.isEmpty()) {
        QString problem;
        const auto value = JsonText::parseValue(text, &problem);
        if (!value) {
            *error = tr("the event params are not valid JSON (%1)").arg(problem);
            return std::nullopt;
        }
        s.params = *value;
    }
    return s;
}

} // namespace rpcbench
