export const db = {
  host: 'postgres',
  password: 'Wd4-pX9!lk',
};
