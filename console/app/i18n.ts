import i18n from 'i18next';
import { initReactI18next, useTranslation } from 'react-i18next';
import en from './locales/en.json';
import nl from './locales/nl.json';

/** The console's languages, each named in itself; a new one is a catalogue in locales/ and a line here. */
export const LANGUAGES = { en: 'English', nl: 'Nederlands' } as const;
export type Language = keyof typeof LANGUAGES;

const STORAGE_KEY = 'o2c.language';
const isLanguage = (l: string | null): l is Language => l !== null && l in LANGUAGES;

function initialLanguage(): Language {
  const saved = localStorage.getItem(STORAGE_KEY);
  if (isLanguage(saved)) return saved;
  const preferred = navigator.languages.map((l) => l.slice(0, 2)).find(isLanguage);
  return preferred ?? 'en';
}

void i18n.use(initReactI18next).init({
  resources: { en: { translation: en }, nl: { translation: nl } },
  lng: initialLanguage(),
  fallbackLng: 'en',
  interpolation: { escapeValue: false }, // React escapes
});
document.documentElement.lang = i18n.language;
i18n.on('languageChanged', (language) => {
  document.documentElement.lang = language;
  localStorage.setItem(STORAGE_KEY, language);
});

/**
 * The translator and the locale amounts and dates are written in: the browser's own variant of the chosen
 * language (en-GB, nl-BE), or the language itself.
 */
export function useLocale() {
  const { t, i18n: instance } = useTranslation();
  const language = instance.language;
  const locale = navigator.languages.find((l) => l.split('-')[0] === language) ?? language;
  return { t, locale, language, setLanguage: (l: Language) => void instance.changeLanguage(l) };
}
