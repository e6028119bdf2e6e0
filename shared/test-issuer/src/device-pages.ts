/**
 * Approving or denying a user code the way a person would, on oidc-provider's own pages:
 * enter the code, confirm the device, sign in with any name (it becomes `sub`), authorize.
 * Every step is a form post with the session cookie and the page's xsrf value.
 */
import { createBrowser, type Page, readForms } from './browser.ts';
import { TestIssuerError } from './errors.ts';

export async function approveOnPages(issuer: string, userCode: string, sub: string) {
  const { browser, confirmForm } = await openConfirmPage(issuer, userCode);
  let page = await browser.post(confirmForm.action, confirmForm.fields);

  // Login, then consent; each answer redirects through the device resume to the next page.
  for (let step = 0; step < 4; step++) {
    if (page.html.includes('<title>Sign-in Success</title>')) return;

    const form = findForm(page, 'prompt');
    if (form.fields.prompt === 'login') {
      page = await browser.post(form.action, { prompt: 'login', login: sub, password: 'test' });
    } else if (form.fields.prompt === 'consent') {
      page = await browser.post(form.action, { prompt: 'consent' });
    } else {
      throw unexpectedPage(page);
    }
  }
  throw unexpectedPage(page);
}

export async function denyOnPages(issuer: string, userCode: string) {
  const { browser, confirmForm } = await openConfirmPage(issuer, userCode);
  const { confirm: _confirm, ...fields } = confirmForm.fields;

  const page = await browser.post(confirmForm.action, { ...fields, abort: 'yes' });
  if (!page.html.includes('interrupted')) throw unexpectedPage(page);
}

async function openConfirmPage(issuer: string, userCode: string) {
  const browser = createBrowser();
  const inputPage = await browser.get(new URL('device', issuer).href);
  const inputForm = findForm(inputPage, 'xsrf');
  const confirmPage = await browser.post(inputForm.action, {
    ...inputForm.fields,
    user_code: userCode,
  });

  const confirmForm = readForms(confirmPage).find((form) => form.fields.confirm === 'yes');
  if (!confirmForm) {
    const message = 'the provider did not accept the user code';
    throw new TestIssuerError('user_code_rejected', message, { userCode });
  }
  return { browser, confirmForm };
}

function findForm(page: Page, field: string) {
  const form = readForms(page).find((candidate) => field in candidate.fields);
  if (!form) throw unexpectedPage(page);
  return form;
}

function unexpectedPage(page: Page): TestIssuerError {
  const title = page.html.match(/<title>([^<]*)<\/title>/)?.[1] ?? '';
  return new TestIssuerError('unexpected_page', `unexpected provider page "${title}"`, {
    url: page.url,
    status: page.status,
    title,
  });
}
