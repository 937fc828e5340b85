#pragma once
// The log's details pane: a one-line summary of the selected message, a button to jump to its
// request or reply, and the exact bytes as pretty JSON, raw text and hex (each tab rendered
// only when shown).

#include <QWidget>

class QLabel;
class QTabWidget;
class QToolButton;

namespace rpcbench {

struct LogRecord;
class PayloadView;

class MessageDetailsView : public QWidget
{
    Q_OBJECT
public:
    explicit MessageDetailsView(QWidget* parent = nullptr);

    // `record` may be null (nothing selected); `hasPartner` enables the jump button.
    void showRecord(const LogRecord* record, bool hasPartner);
    // The shown message's partner appeared or left the log (or the message itself did).
    void setPartnerAvailable(bool available);
    bool isShowingRecord() const { return m_showing; }

    QToolButton* jumpButton() const { return m_jump; }
    QLabel* summaryLabel() const { return m_summary; }
    QWidget* firstInTabOrder() const; // what the panel's table leads to

    PayloadView* prettyView() const { return m_pretty; }
    PayloadView* rawView() const { return m_raw; }
    PayloadView* hexView() const { return m_hex; }

signals:
    void jumpToPartnerRequested();

protected:
    void resizeEvent(QResizeEvent* event) override;

private:
    QLabel* m_summary;
    QToolButton* m_jump;
    QTabWidget* m_tabs;
    PayloadView* m_pretty;
    PayloadView* m_raw;
    PayloadView* m_hex;
    bool m_showing = false;
};

} // namespace rpcbench
