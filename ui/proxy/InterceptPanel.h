#pragma once
// The intercept queue of every proxy of a ProxySet: the messages paused on a breakpoint, oldest
// first, each with its proxy, connection, direction, method and the time left before it is
// forwarded unchanged; the selected one can be edited (raw JSON, validated), forwarded, answered
// locally or dropped. Paused messages of other connections keep flowing meanwhile.
//
// Keyboard: Enter on a row forwards it, Delete drops it, Ctrl+Enter in the editor forwards.
#include <QPointer>
#include <QWidget>

class QLabel;
class QPushButton;
class QTableView;

namespace rpcbench {

class InterceptEditor;
class InterceptQueueModel;
class ProxySet;
struct InterceptDecision;

class InterceptPanel : public QWidget
{
    Q_OBJECT
public:
    explicit InterceptPanel(ProxySet* proxies, QWidget* parent = nullptr);

    InterceptQueueModel* model() const { return m_model; }
    QTableView* view() const { return m_view; }
    InterceptEditor* editor() const { return m_editor; }
    QLabel* summaryLabel() const { return m_summary; }
    QPushButton* clearEndedButton() const { return m_clearEnded; }
    QList<QWidget*> focusChain() const;

signals:
    // A message started waiting (on the GUI thread): a window shows the panel if it is hidden.
    void messageHeld();

private:
    QWidget* buildHeader();
    void configureView();
    void fitColumns();
    void showSelected();
    void decide(const InterceptDecision& decision);
    void selectNewMessage(int row);
    void updateSummary();

    QPointer<ProxySet> m_proxies; // the window may destroy it first
    InterceptQueueModel* m_model;
    QLabel* m_summary;
    QPushButton* m_clearEnded;
    QTableView* m_view;
    InterceptEditor* m_editor;
};

} // namespace rpcbench
