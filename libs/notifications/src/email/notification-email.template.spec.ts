import { renderNotificationEmail } from './notification-email.template';

describe(renderNotificationEmail.name, () => {
  const email = renderNotificationEmail({
    recipientName: 'Ana <Rater>',
    title: 'Findings issued for Banco "Sol" & Co',
    body: 'Answer each finding.\nAdd corrective evidence.',
    caseId: '6f1c3b2a-0000-4000-8000-000000000001',
  });

  it('uses the title as subject and repeats title, body and case in the plain text', () => {
    expect(email.subject).toBe('Findings issued for Banco "Sol" & Co');
    expect(email.text).toContain('Hello Ana <Rater>,');
    expect(email.text).toContain('Answer each finding.\nAdd corrective evidence.');
    expect(email.text).toContain('Case reference: 6f1c3b2a-0000-4000-8000-000000000001');
  });

  it('escapes every value in the HTML body', () => {
    expect(email.html).toContain('Hello Ana &lt;Rater&gt;,');
    expect(email.html).toContain('Findings issued for Banco &quot;Sol&quot; &amp; Co');
    expect(email.html).toContain('Answer each finding.<br>Add corrective evidence.');
    expect(email.html).not.toContain('<Rater>');
  });

  it('keeps the subject on one line and leaves out the case reference without a case', () => {
    const plain = renderNotificationEmail({
      recipientName: 'Ana',
      title: 'Line one\r\nline two',
      body: 'Body',
      caseId: null,
    });
    expect(plain.subject).toBe('Line one line two');
    expect(plain.text).not.toContain('Case reference');
  });
});
