export const url = 'postgres://app:Pz8kLq2mWx@db.internal:5432/app';
