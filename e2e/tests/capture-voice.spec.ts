/**
 * Voice capture with a scripted SpeechRecognition, with none, with one that
 * never starts, and with each error the owner should hear about in words.
 */
import { expect, test } from '../fixtures/test.ts';
import { CapturePage } from '../pages/capture-page.ts';
import { failing, hearing, neverStarting, withoutSpeech } from '../pages/fake-speech.ts';

test('[CAPTURE-VOICE] speech fills the bar with its tokens, and the voice shortcut starts listening', async ({
  hub,
  profiles,
}) => {
  const profile = await profiles.launch();
  await hearing(profile.context, 'Buy oat milk tomorrow #errands');
  const app = await CapturePage.open(profile.context, `${hub.url}/?capture=voice`);

  await expect(app.quickAdd).toHaveValue('Buy oat milk tomorrow #errands');
  await expect(app.token('date')).toBeVisible();
  await expect(app.token('project')).toContainText('errands');
  await app.quickAdd.press('Enter');
  await expect(app.quickAdd).toHaveValue('');

  await app.mic.click();
  await expect(app.quickAdd).toHaveValue('Buy oat milk tomorrow #errands');
});

test('[CAPTURE-VOICE-NONE] without the speech API the large dictation field opens, focused, and saves', async ({
  hub,
  profiles,
}) => {
  const profile = await profiles.launch();
  await withoutSpeech(profile.context);
  const app = await CapturePage.open(profile.context, hub.url);

  await app.mic.click();
  await expect(app.voiceMessage).toContainText('not available in this browser');
  await expect(app.dictation).toBeFocused();
  await app.page.keyboard.type('Dictated on the keyboard #home');
  await expect(app.token('project')).toContainText('home');
  await app.page.keyboard.press('Enter');
  await expect(app.dictation).toHaveCount(0);
  await expect(app.page.getByTestId('qa-saved')).toHaveText('Saved “Dictated on the keyboard”');
});

test('[CAPTURE-VOICE-INERT] a recognizer that never starts falls back after about 3 s', async ({
  hub,
  profiles,
}) => {
  const profile = await profiles.launch();
  await neverStarting(profile.context);
  const app = await CapturePage.open(profile.context, hub.url);

  await app.mic.click();
  await expect(app.page.getByTestId('voice-status')).toHaveText('Starting the microphone…');
  await expect(app.voiceMessage).toContainText('did not start on this device');
  await expect(app.dictation).toBeFocused();
});

test('[CAPTURE-VOICE-ERRORS] permission denied, no speech and network each get a plain message', async ({
  hub,
  profiles,
}) => {
  const profile = await profiles.launch();
  await failing(profile.context);
  const app = await CapturePage.open(profile.context, hub.url);

  const cases = [
    ['not-allowed', 'Microphone permission was denied'],
    ['no-speech', 'No speech was heard'],
    ['network', 'needs a network connection'],
  ] as const;
  for (const [code, message] of cases) {
    await app.page.evaluate((error) => {
      (window as unknown as { __speechError: string }).__speechError = error;
    }, code);
    await app.mic.click();
    await expect(app.voiceMessage).toContainText(message);
  }
  await expect(app.dictation).toHaveCount(0);
});
